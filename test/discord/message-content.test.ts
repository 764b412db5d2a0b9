import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botReplyTo, type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-content", {
    env: { DISCORD_MESSAGE_CONTENT: "true" },
    fake: { messageContentAllowed: true },
  });
});
afterAll(() => bot.close());

describe("with DISCORD_MESSAGE_CONTENT=true and the privileged intent on", () => {
  it("identifies with MESSAGE_CONTENT and treats any reply to an image as an edit, no mention needed", async () => {
    const identify = bot.discord.gatewayIdentify();
    expect(identify?.intents ?? 0).toBeGreaterThan(0);
    expect((identify?.intents ?? 0) & (1 << 15)).toBe(1 << 15);
    const original = await bot.discord.say({
      files: [{ filename: "sky.png", bytes: await solidPng(256, 256, "#88aaff") }],
    });
    const ask = await bot.discord.say({ content: "add a rainbow", replyTo: original });
    const reply = await botReplyTo(bot, ask);
    expect(reply.content).toContain("add a rainbow");
    expect(bot.openai.requests.some((request) => request.path === "/v1/images/edits")).toBe(true);
  });
});
