import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ApplicationCommandOptionType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imagineCommand } from "../../commands/imagine.js";
import { discordCommands } from "../../src/platforms/discord/commands/index.js";
import { registerCommands } from "../../src/platforms/discord/register-commands.js";
import { createRest } from "../../src/platforms/discord/rest.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";
import { testDiscordConfig } from "../helpers/discord-config.js";

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(() => fake.close());

const discordConfig = () => testDiscordConfig(fake);

/** What a global registration puts, with user installs allowed (the default). */
const globalCommands = discordCommands({ scope: "global", userInstall: true });

describe("Discord commands", () => {
  it("derive /imagine from commands/ with every option, choices for closed sets, autocomplete for size and model", () => {
    const imagine = globalCommands.find((command) => command.name === "imagine");
    const options = (imagine as { options: { name: string; type: number; choices?: unknown[] }[] }).options;
    expect(options.map((option) => option.name)).toEqual(imagineCommand.options.map((option) => option.name));
    expect(options.find((option) => option.name === "quality")?.choices).toHaveLength(6);
    expect(options.find((option) => option.name === "size")).toMatchObject({ autocomplete: true });
    // The models served change without a release: suggested as they are now, never fixed at registration.
    expect(options.find((option) => option.name === "model")).toMatchObject({ autocomplete: true });
    expect(options.find((option) => option.name === "model")?.choices).toBeUndefined();
    expect(options.find((option) => option.name === "n")).toMatchObject({ min_value: 1, max_value: 10 });
    expect(options.find((option) => option.name === "image")?.type).toBe(
      ApplicationCommandOptionType.Attachment,
    );
  });

  it("stay within Discord's limits (names, descriptions ≤ 100, choices ≤ 25, ≤ 25 options)", () => {
    for (const command of globalCommands) {
      const options = ("options" in command ? command.options : undefined) ?? [];
      expect(options.length).toBeLessThanOrEqual(25);
      for (const option of options) {
        expect(option.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
        expect(option.description.length).toBeLessThanOrEqual(100);
        const choices = "choices" in option ? (option.choices ?? []) : [];
        expect(choices.length).toBeLessThanOrEqual(25);
      }
    }
    expect(globalCommands.map((command) => command.name).sort()).toEqual([
      "Blend images",
      "Describe image",
      "Edit image",
      "blend",
      "describe",
      "edit",
      "forget",
      "history",
      "imagine",
      "settings",
      "show",
      "style",
      "usage",
    ]);
  });

  it("register globally (PUT accepted by the fake's validation), learning the application id", async () => {
    // Only this test's requests: another test may have registered in a guild before it.
    const before = fake.requests.length;
    const result = await registerCommands(createRest(discordConfig()), { allowUserInstall: true });
    expect(result).toEqual({ applicationId: fake.applicationId, scope: "global", count: 13 });
    const put = fake.requests.slice(before).find((request) => request.method === "PUT");
    expect(put?.path).toBe(`/api/v10/applications/${fake.applicationId}/commands`);
    expect(fake.world.commands.get("global")?.map((command) => command.name)).toContain("Edit image");
    // Every command also reaches DMs and group DMs through a person's own install, but /forget and /style: the
    // refinement threads they act on exist only on servers.
    for (const command of fake.world.commands.get("global") ?? []) {
      const anywhere = { integration_types: [0, 1], contexts: [0, 1, 2] };
      const serversOnly = { integration_types: [0], contexts: [0] };
      expect(command).toMatchObject(
        ["forget", "style"].includes(String(command.name)) ? serversOnly : anywhere,
      );
    }
  });

  it("with DISCORD_ALLOW_USER_INSTALL=false, register for servers only (guild install, guild context)", async () => {
    await registerCommands(createRest(discordConfig()), { allowUserInstall: false });
    const saved = fake.world.commands.get("global") ?? [];
    expect(saved).toHaveLength(13);
    for (const command of saved) {
      expect(command).toMatchObject({ integration_types: [0], contexts: [0] });
    }
  });

  it("in one guild, declare no install types or contexts (Discord reads them on global commands only)", () => {
    for (const command of discordCommands({ scope: "guild", userInstall: true })) {
      expect(command).not.toHaveProperty("integration_types");
      expect(command).not.toHaveProperty("contexts");
    }
  });

  it("an unknown install type or context is refused the way Discord refuses it", async () => {
    const rest = createRest(discordConfig());
    const body = [{ name: "x", description: "x", integration_types: [0, 2], contexts: [0] }];
    await expect(rest.put(`/applications/${fake.applicationId}/commands`, { body })).rejects.toMatchObject({
      code: 50035,
    });
  });

  it("npm run register-commands registers in DISCORD_GUILD_ID", async () => {
    const { stdout } = await promisify(execFile)("npm", ["run", "-s", "register-commands"], {
      env: {
        PATH: process.env.PATH,
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_GUILD_ID: fake.guildId,
        DISCORD_API_URL: fake.url,
      },
    });
    expect(stdout).toContain(
      `Registered 13 commands for application ${fake.applicationId} (guild ${fake.guildId})`,
    );
    expect(fake.world.commands.get(fake.guildId)).toHaveLength(13);
  });

  it("a bad command is refused the way Discord refuses it", async () => {
    const rest = createRest(discordConfig());
    const tooMany = {
      name: "x",
      description: "x",
      options: [
        {
          name: "a",
          description: "a",
          type: 3,
          choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` })),
        },
      ],
    };
    await expect(
      rest.put(`/applications/${fake.applicationId}/commands`, { body: [tooMany] }),
    ).rejects.toMatchObject({ code: 50035 });
  });
});
