import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

describe("the one @discordjs/rest of the process", () => {
  it("is the copy discord.js uses: the renderers' REST and the gateway client's share one undici agent", () => {
    const fromProject = createRequire(import.meta.url);
    const fromDiscord = createRequire(fromProject.resolve("discord.js"));
    // Two copies would give the gateway's uploads an agent of the other undici, which refuses their FormData.
    expect(fromDiscord.resolve("@discordjs/rest")).toBe(fromProject.resolve("@discordjs/rest"));
  });
});
