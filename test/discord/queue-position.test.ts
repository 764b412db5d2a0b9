import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-position", { env: { WORKER_CONCURRENCY: "1" }, latencyMs: 100 });
});
afterAll(() => bot.close());

describe("a busy queue", () => {
  it("says the position, then the worker takes over the same reply", async () => {
    const first = await bot.discord.slash("imagine", { prompt: "one", partials: 1 });
    const second = await bot.discord.slash("imagine", { prompt: "two", partials: 1 });
    const third = await bot.discord.slash("imagine", { prompt: "three", partials: 1 });
    const reply = await bot.finalReply(third, 30_000);
    await Promise.all([bot.finalReply(first, 30_000), bot.finalReply(second, 30_000)]);
    const contents = reply.history.map((version) => version.content);
    expect(contents.some((content) => content.includes("Queued (position 1)"))).toBe(true);
    expect(contents.at(-1)).toContain("**Prompt:** three");
  });
});
