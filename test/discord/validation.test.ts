import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/discord/fake.js";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-validation");
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

describe("mistakes are answered privately and cost nothing", () => {
  it("a file that is not an image: the public reply is withdrawn, the reason sent privately", async () => {
    const interaction = await bot.discord.slash("imagine", {
      prompt: "edit this",
      image: { filename: "notes.png", bytes: Buffer.from("not an image at all"), contentType: "image/png" },
    });
    const followup = await waitFor("the private answer", () => interaction.followupIds[0]);
    const message = bot.discord.message(followup);
    expect(message.flags & 64).toBe(64);
    expect(message.content).toMatch(/Image 1/);
    expect(bot.discord.original(interaction)?.deleted).toBe(true);
    expect(bot.openai.requests).toHaveLength(0);
  });

  it("/settings stores per-user defaults that /imagine then uses, refuses bad values, and resets", async () => {
    // Someone no other test asks as: the defaults stored here can never reach another test, whatever the order.
    const person = bot.discord.otherUser;
    const set = await bot.discord.slash("settings", { quality: "low", size: "1536x1024" }, person);
    await waitFor("settings answer", () => set.callbackType);
    expect(set.callbackData?.flags).toBe(64);
    expect(String(set.callbackData?.content)).toContain("quality: low");
    const interaction = await bot.discord.slash("imagine", { prompt: "a boat", partials: 0 }, person);
    await bot.finalReply(interaction);
    expect(bot.openai.requests[0]?.json).toMatchObject({ quality: "low", size: "1536x1024" });

    const bad = await bot.discord.slash("settings", { model: "dall-e-9" }, person);
    await waitFor("settings refusal", () => bad.callbackType);
    expect(String(bad.callbackData?.content)).toMatch(/⚠️.*model/i);

    const reset = await bot.discord.slash("settings", { reset: true }, person);
    await waitFor("reset answer", () => reset.callbackType);
    expect(String(reset.callbackData?.content)).toContain("quality: default");
  });

  it("a refusal from OpenAI replaces the progress in the reply with the reason, and drops the frames", async () => {
    bot.openai.fail({ type: "moderation_blocked", stage: "input" });
    const interaction = await bot.discord.slash("imagine", { prompt: "something refused", partials: 0 });
    const reply = await waitFor("the failure", () => {
      const message = bot.discord.original(interaction);
      return message?.content.startsWith("⚠️") ? message : undefined;
    });
    expect(reply.content).toMatch(/moderation|safety|blocked/i);
    expect(reply.attachments).toHaveLength(0);
    expect(reply.components).toHaveLength(0);
  });

  /** The sizes the bot suggests for what is typed in `size`, in their order. */
  async function sizeSuggestions(typed: string): Promise<string[]> {
    const interaction = await bot.discord.autocomplete("imagine", "size", typed);
    await waitFor("suggestions", () => interaction.callbackType);
    expect(interaction.callbackType).toBe(8);
    return ((interaction.callbackData?.choices ?? []) as { value: string }[]).map((choice) => choice.value);
  }

  it("size autocomplete matches anywhere in the size, those starting with what is typed first", async () => {
    expect(await sizeSuggestions("1536")).toEqual(["1536x1024", "1024x1536"]);
    expect(await sizeSuggestions("1920")).toEqual(["1920x1088", "1088x1920"]);
    expect(await sizeSuggestions("x2160")).toEqual(["3840x2160"]);
  });

  it("size autocomplete keeps a typed WxH it does not list", async () => {
    expect(await sizeSuggestions("1600x896")).toEqual(["1600x896"]);
  });

  it("an edit reply with nothing to say is ignored unless it mentions the bot", async () => {
    const original = await bot.discord.say({
      files: [{ filename: "a.png", bytes: await solidPng(64, 64, "#fff") }],
    });
    const ignored = await bot.discord.say({ content: "what do you think?", replyTo: original });
    // The barrier: the gateway delivers messages in order, so once the later mention is answered the bot
    // has long seen the first reply; had it acted on that, its own reply would be there too.
    const mentioned = await bot.discord.say({ content: "make it blue", replyTo: original, mention: true });
    expect((await botReplyTo(bot, mentioned)).content).toContain("make it blue");
    await bot.idle();
    const answered = (message: FakeMessage) =>
      [...bot.discord.world.messages.values()].filter(
        (reply) =>
          reply.author.id === bot.discord.botUser.id && reply.message_reference?.message_id === message.id,
      );
    expect(answered(ignored)).toEqual([]);
    expect(answered(mentioned)).toHaveLength(1);
    expect(bot.openai.requests).toHaveLength(1);
  });
});
