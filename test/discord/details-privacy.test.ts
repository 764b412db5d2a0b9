import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/discord/fake.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-details-privacy");
});
afterAll(() => bot.close());

const jobIdOf = (message: FakeMessage) => /job `([^`]+)`/.exec(message.content)?.[1] ?? "";

/** A result for the default user, and the `safety_identifier` OpenAI received for it. */
async function imagine(prompt: string) {
  const before = bot.openai.requests.length;
  const result = await bot.finalReply(await bot.discord.slash("imagine", { prompt, partials: 0 }));
  const sent = bot.openai.requests[before]?.json as Record<string, unknown>;
  return { result, identifier: String(sent.safety_identifier) };
}

describe("safety_identifier without SAFETY_IDENTIFIER_SALT", () => {
  it("stays the same across a restart, and Details only says one was sent", async () => {
    const first = await imagine("a red fox in snow");
    await bot.restart();
    await bot.discord.waitForBot();
    const second = await imagine("a grey owl");
    expect(first.identifier).toMatch(/^[0-9a-f]{64}$/);
    expect(second.identifier).toBe(first.identifier);

    for (const { result } of [first, second]) {
      const click = await bot.discord.click(result, `details:${jobIdOf(result)}`);
      await waitFor("details", () => click.callbackType);
      const shown = JSON.stringify(click.callbackData);
      expect(shown).toContain("Parameters sent");
      expect(shown).toContain('\\"safety_identifier\\": \\"(set)\\"');
      expect(shown).not.toContain(first.identifier);
    }
  });
});
