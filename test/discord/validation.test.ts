import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-validation");
});
afterAll(() => bot.close());
beforeEach(() => bot.openai.reset());

describe("mistakes are answered privately and cost nothing", () => {
  it("a file that is not an image: the public reply is withdrawn, the reason sent privately", async () => {
    const interaction = await bot.discord.slash("imagine", {
      prompt: "edit this",
      image: { filename: "notes.png", bytes: Buffer.from("not an image at all"), contentType: "image/png" },
    });
    const followup = await bot.discord.waitFor(
      () => interaction.followupIds[0],
      10_000,
      "the private answer",
    );
    const message = bot.discord.message(followup);
    expect(message.flags & 64).toBe(64);
    expect(message.content).toMatch(/Image 1/);
    expect(bot.discord.original(interaction)?.deleted).toBe(true);
    expect(bot.openai.requests).toHaveLength(0);
  });

  it("/settings stores per-user defaults that /imagine then uses, refuses bad values, and resets", async () => {
    const set = await bot.discord.slash("settings", { quality: "low", size: "1536x1024" });
    await bot.discord.waitFor(() => set.callbackType, 5000, "settings answer");
    expect(set.callbackData?.flags).toBe(64);
    expect(String(set.callbackData?.content)).toContain("quality: low");
    const interaction = await bot.discord.slash("imagine", { prompt: "a boat", partials: 0 });
    await bot.finalReply(interaction);
    expect(bot.openai.requests[0]?.json).toMatchObject({ quality: "low", size: "1536x1024" });

    const bad = await bot.discord.slash("settings", { model: "dall-e-9" });
    await bot.discord.waitFor(() => bad.callbackType, 5000, "settings refusal");
    expect(String(bad.callbackData?.content)).toMatch(/⚠️.*model/i);

    const reset = await bot.discord.slash("settings", { reset: true });
    await bot.discord.waitFor(() => reset.callbackType, 5000, "reset answer");
    expect(String(reset.callbackData?.content)).toContain("quality: default");
  });

  it("a refusal from OpenAI replaces the progress in the reply with the reason, and drops the frames", async () => {
    bot.openai.fail({ type: "moderation_blocked", stage: "input" });
    const interaction = await bot.discord.slash("imagine", { prompt: "something refused", partials: 0 });
    const reply = await bot.discord.waitFor(
      () => {
        const message = bot.discord.original(interaction);
        return message?.content.startsWith("⚠️") ? message : undefined;
      },
      10_000,
      "the failure",
    );
    expect(reply.content).toMatch(/moderation|safety|blocked/i);
    expect(reply.attachments).toHaveLength(0);
    expect(reply.components).toHaveLength(0);
  });

  it("size autocomplete suggests sizes and keeps what is typed", async () => {
    const interaction = await bot.discord.autocomplete("imagine", "size", "1536");
    await bot.discord.waitFor(() => interaction.callbackType, 5000, "suggestions");
    expect(interaction.callbackType).toBe(8);
    const choices = ((interaction.callbackData?.choices ?? []) as { value: string }[]).map(
      (choice) => choice.value,
    );
    expect(choices).toContain("1536x1024");
    expect(choices.every((choice) => choice.startsWith("1536"))).toBe(true);
  });

  it("an edit reply with nothing to say is ignored unless it mentions the bot", async () => {
    const original = await bot.discord.say({
      files: [{ filename: "a.png", bytes: await solidPng(64, 64, "#fff") }],
    });
    await bot.discord.say({ content: "what do you think?", replyTo: original });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bot.openai.requests).toHaveLength(0);
  });
});
