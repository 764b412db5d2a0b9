import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ApplicationCommandOptionType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imagineCommand } from "../../commands/imagine.js";
import { OPEN_ACCESS } from "../../src/access/access-list.js";
import { discordCommands } from "../../src/platforms/discord/commands/index.js";
import { registerCommands } from "../../src/platforms/discord/register-commands.js";
import { createRest } from "../../src/platforms/discord/rest.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(() => fake.close());

const discordConfig = () => ({
  token: fake.token,
  applicationId: undefined,
  guildId: undefined,
  messageContent: false,
  apiUrl: fake.url,
  access: OPEN_ACCESS,
  adminRoleIds: [],
});

describe("Discord commands", () => {
  it("derive /imagine from commands/ with every option, choices for closed sets, autocomplete for size", () => {
    const imagine = discordCommands.find((command) => command.name === "imagine");
    const options = (imagine as { options: { name: string; type: number; choices?: unknown[] }[] }).options;
    expect(options.map((option) => option.name)).toEqual(imagineCommand.options.map((option) => option.name));
    expect(options.find((option) => option.name === "quality")?.choices).toHaveLength(6);
    expect(options.find((option) => option.name === "size")).toMatchObject({ autocomplete: true });
    expect(options.find((option) => option.name === "n")).toMatchObject({ min_value: 1, max_value: 10 });
    expect(options.find((option) => option.name === "image")?.type).toBe(
      ApplicationCommandOptionType.Attachment,
    );
  });

  it("stay within Discord's limits (names, descriptions ≤ 100, choices ≤ 25, ≤ 25 options)", () => {
    for (const command of discordCommands) {
      const options = ("options" in command ? command.options : undefined) ?? [];
      expect(options.length).toBeLessThanOrEqual(25);
      for (const option of options) {
        expect(option.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
        expect(option.description.length).toBeLessThanOrEqual(100);
        const choices = "choices" in option ? (option.choices ?? []) : [];
        expect(choices.length).toBeLessThanOrEqual(25);
      }
    }
    expect(discordCommands.map((command) => command.name).sort()).toEqual([
      "Edit image",
      "edit",
      "forget",
      "history",
      "imagine",
      "settings",
      "show",
      "usage",
    ]);
  });

  it("register globally (PUT accepted by the fake's validation), learning the application id", async () => {
    // Only this test's requests: another test may have registered in a guild before it.
    const before = fake.requests.length;
    const result = await registerCommands(createRest(discordConfig()), {});
    expect(result).toEqual({ applicationId: fake.applicationId, scope: "global", count: 8 });
    const put = fake.requests.slice(before).find((request) => request.method === "PUT");
    expect(put?.path).toBe(`/api/v10/applications/${fake.applicationId}/commands`);
    expect(fake.world.commands.get("global")?.map((command) => command.name)).toContain("Edit image");
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
      `Registered 8 commands for application ${fake.applicationId} (guild ${fake.guildId})`,
    );
    expect(fake.world.commands.get(fake.guildId)).toHaveLength(8);
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
