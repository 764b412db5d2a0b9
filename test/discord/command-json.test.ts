import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { discordCommands } from "../../src/platforms/discord/commands/index.js";

/** What `npm run register-commands` puts to Discord globally, user installs allowed (the default). */
const registered: unknown = JSON.parse(readFileSync(new URL("./commands.json", import.meta.url), "utf8"));

describe("the command JSON registered with Discord", () => {
  it("is what the bot has always registered: every command, option, choice, range and slot", () => {
    // Through JSON, as the PUT sends it: an option left undefined is no key at all. The order of an option's
    // keys is not Discord's business: reset, set and value, once written by hand, had `type` before `required`.
    const global = discordCommands({ scope: "global", userInstall: true });
    expect(JSON.parse(JSON.stringify(global))).toStrictEqual(registered);
  });
});
