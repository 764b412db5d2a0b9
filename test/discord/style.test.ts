import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeInteraction, FakeMessage } from "../fakes/discord/fake.js";
import { allComponents, customIds, jobIdOf } from "../helpers/discord-result.js";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-style");
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

/** The private answer to a press or a command: its text and its buttons' custom ids. */
async function privateAnswer(interaction: FakeInteraction) {
  await waitFor("the private answer", () => interaction.callbackType);
  const data = interaction.callbackData;
  const followUp = interaction.followupIds.length > 0 ? bot.discord.original(interaction) : undefined;
  expect(data?.flags).toBe(64);
  return {
    content: String(data?.content ?? followUp?.content ?? ""),
    buttons: customIds((data?.components ?? []) as unknown[]),
  };
}

/** The inputs of the Responses requests made since `from` requests were recorded. */
const responsesInputs = (from = 0) =>
  bot.openai.requests
    .slice(from)
    .filter((request) => request.method === "POST" && request.path === "/v1/responses")
    .map((request) => JSON.stringify((request.json as { input?: unknown }).input));
const count = (text: string | undefined, word: string) => (text ?? "").split(word).length - 1;

/** A result to pin from; OpenAI's records start after it. */
async function result(prompt: string, options: Record<string, unknown> = {}): Promise<FakeMessage> {
  const made = await bot.finalReply(await bot.discord.slash("imagine", { prompt, partials: 0, ...options }));
  bot.openai.reset();
  return made;
}

describe("Pin style on Discord", () => {
  it("pins a result's image to the thread opened on it, says so on the result, and every later turn sends it", async () => {
    const seed = await result("a lighthouse at dusk");
    const seedJob = jobIdOf(seed);
    expect(customIds(seed.components)).toContain(`pin-style:${seedJob}`);
    const pin = await bot.discord.click(seed, `pin-style:${seedJob}`);
    const answer = await privateAnswer(pin);
    const threadId = seed.id;
    expect(bot.discord.world.channels.get(threadId)?.type).toBe(11);
    expect(answer.content).toBe(
      `Pinned image 1 as a style of <#${threadId}>: every later turn there uses it (📌 Style: 1 image).`,
    );
    expect(answer.buttons).toEqual([`unpin-style:${seedJob}`]);
    // Free: nothing was asked of OpenAI.
    expect(bot.openai.requests).toHaveLength(0);
    // The thread's first message says what is pinned, and keeps its image and buttons.
    const starter = bot.discord.world.messages.get(seed.id);
    expect(starter?.content).toMatch(/\n-# 📌 Style: 1 image$/);
    expect(starter?.attachments).toEqual(seed.attachments);
    expect(customIds(starter?.components ?? [])).toEqual(customIds(seed.components));

    const turn = await bot.discord.say({ channelId: threadId, content: "make it stormy", mention: true });
    const reply = await botReplyTo(bot, turn);
    expect(reply.content).not.toMatch(/^⚠️/);
    // The seed result, then the pinned style image; the prompt says which is which.
    const [sent] = responsesInputs();
    expect(count(sent, "input_image")).toBe(2);
    expect(sent).toContain("make it stormy");
    expect(sent).toContain("The last input image is a style reference");
    const metadata = await bot.running.context.runs.getMetadata(jobIdOf(reply));
    expect(metadata.prompt).toBe("make it stormy");
    expect(metadata.inputs.images).toHaveLength(1);
    expect(metadata.style?.imageKeys).toHaveLength(1);
    expect(metadata.cost?.inputTokens.image).toBeGreaterThan(0);
    const details = await bot.discord.click(reply, `details:${jobIdOf(reply)}`);
    await waitFor("the details", () => details.callbackData);
    const [embed] = (details.callbackData?.embeds ?? []) as { fields: { name: string; value: string }[] }[];
    expect(embed?.fields).toContainEqual(expect.objectContaining({ name: "Style", value: "1 image" }));

    // A pin from a result inside the thread goes to the same thread.
    const replyJob = jobIdOf(reply);
    const again = await privateAnswer(await bot.discord.click(reply, `pin-style:${replyJob}`));
    expect(again.content).toContain(`<#${threadId}>`);
    expect(again.content).toContain("📌 Style: 2 images");
    expect(bot.discord.world.messages.get(seed.id)?.content).toMatch(/\n-# 📌 Style: 2 images$/);

    // Unpin: the thread's turns go back to no style, and the line goes.
    // Unpin style on the private answer to the first pin.
    const confirmation = bot.discord.original(pin);
    if (confirmation === undefined) throw new Error("no private answer to the pin");
    const unpin = await privateAnswer(await bot.discord.click(confirmation, `unpin-style:${seedJob}`));
    expect(unpin.content).toBe(`Unpinned the style of <#${threadId}>: later turns there use none.`);
    expect(bot.discord.world.messages.get(seed.id)?.content).not.toContain("📌");
    // Stored responses must stay for the chain: the requests are counted from here instead of reset.
    const mark = bot.openai.requests.length;
    const plain = await bot.discord.say({ channelId: threadId, content: "add a boat", mention: true });
    expect((await botReplyTo(bot, plain)).content).not.toMatch(/^⚠️/);
    expect(count(responsesInputs(mark)[0], "input_image")).toBe(0);
    expect(responsesInputs(mark)[0]).not.toContain("style reference");
  });

  it("refuses a 17th pinned image, and a turn whose images and pins are more than the model takes", async () => {
    const seed = await result("a paper boat");
    const seedJob = jobIdOf(seed);
    for (let pinned = 1; pinned <= 16; pinned++) {
      const answer = await privateAnswer(await bot.discord.click(seed, `pin-style:${seedJob}`));
      expect(answer.content).toContain(pinned === 1 ? "1 image" : `${pinned} images`);
    }
    const refused = await privateAnswer(await bot.discord.click(seed, `pin-style:${seedJob}`));
    expect(refused.content).toBe(
      "⚠️ This thread has 16 style images pinned and at most 16 can be, so this one was not pinned; unpin the style first to start over.",
    );
    expect(bot.discord.world.messages.get(seed.id)?.content).toMatch(/\n-# 📌 Style: 16 images$/);

    // The thread's first turn edits the seed image: with 16 pinned that is 17 inputs, refused before OpenAI.
    const turn = await bot.discord.say({ channelId: seed.id, content: "fold it twice", mention: true });
    const reply = await botReplyTo(bot, turn);
    expect(reply.content).toBe(
      "⚠️ This turn has 1 input image and the thread's style pins 16; the model takes at most 16 in all, so nothing was made. Send fewer images or unpin the style.",
    );
    expect(bot.openai.requests).toHaveLength(0);
  });
});

/** What the person was told privately: the reply, the deferred reply edited, or a follow-up. */
const toldPrivately = (interaction: FakeInteraction) =>
  waitFor("the private answer", () => {
    const texts = [
      interaction.callbackData?.content,
      bot.discord.original(interaction)?.content,
      ...interaction.followupIds.map((id) => bot.discord.message(id).content),
    ];
    return texts.find((text): text is string => typeof text === "string" && text !== "");
  });

/** The text display of a gallery result (Components V2), where its style line goes. */
const galleryText = (message: FakeMessage | undefined) =>
  allComponents(message?.components ?? []).find((component) => component.type === 10)?.content ?? "";

/** Opens the refinement thread on a result (its id is the result's). */
async function refineThread(seed: FakeMessage): Promise<void> {
  const click = await bot.discord.click(seed, `refine:${jobIdOf(seed)}`);
  await waitFor("the refine answer", () => click.callbackType);
}

describe("/style on Discord", () => {
  it("pins a sentence and an uploaded image in a refinement thread; the gallery it hangs from says so", async () => {
    const seed = await result("two teacups", { n: 2 });
    await refineThread(seed);
    const threadId = seed.id;
    const png = await solidPng(64, 64, "#3366aa");
    const pin = await bot.discord.slash(
      "style",
      { sentence: "  watercolour,   soft light ", image: { filename: "wash.png", bytes: png } },
      bot.discord.user,
      threadId,
    );
    expect(await toldPrivately(pin)).toBe(
      "Pinned to this thread; every later turn here uses it. 📌 Style: watercolour, soft light · 1 image",
    );
    const starter = bot.discord.world.messages.get(seed.id);
    expect(galleryText(starter)).toMatch(/\n-# 📌 Style: watercolour, soft light · 1 image$/);
    expect(starter?.attachments).toEqual(seed.attachments);
    expect(customIds(starter?.components ?? [])).toEqual(customIds(seed.components));

    const turn = await bot.discord.say({ channelId: threadId, content: "pour the tea", mention: true });
    expect((await botReplyTo(bot, turn)).content).not.toMatch(/^⚠️/);
    const [sent] = responsesInputs();
    // The two images of the result the thread refines, then the pinned one.
    expect(count(sent, "input_image")).toBe(3);
    expect(sent).toContain("Style: watercolour, soft light");

    const clear = await bot.discord.slash("style", { clear: true }, bot.discord.user, threadId);
    expect(await toldPrivately(clear)).toBe("Unpinned this thread's style: later turns here use none.");
    expect(galleryText(bot.discord.world.messages.get(seed.id))).not.toContain("📌");
  });

  it("refuses, in one sentence and without spending: outside a thread, a long sentence, a file that is no image, nothing", async () => {
    const seed = await result("a kite");
    await refineThread(seed);
    const outside = await bot.discord.slash("style", { sentence: "ink" });
    expect(await toldPrivately(outside)).toBe(
      "⚠️ A style is pinned to a thread the bot runs: use /style inside a thread the bot opened (Refine in thread, or Pin style on a result).",
    );
    const long = await bot.discord.slash("style", { sentence: "x".repeat(301) }, bot.discord.user, seed.id);
    expect(await toldPrivately(long)).toBe(
      "⚠️ The style sentence is 301 characters; at most 300 can be pinned.",
    );
    const text = { filename: "notes.txt", bytes: Buffer.from("hello"), contentType: "text/plain" };
    const notImage = await bot.discord.slash("style", { image: text }, bot.discord.user, seed.id);
    expect(await toldPrivately(notImage)).toMatch(/^⚠️ notes\.txt .*text\/plain/);
    const nothing = await bot.discord.slash("style", {}, bot.discord.user, seed.id);
    expect(await toldPrivately(nothing)).toBe(
      "⚠️ Give a style sentence, style images, or both (or clear the style).",
    );
    const address = { platform: "discord", workspace: bot.discord.guildId, thread: seed.id };
    expect(await bot.running.context.styles.get(address)).toBeUndefined();
    expect(bot.openai.requests).toHaveLength(0);
  });
});

describe("/forget and a pinned style", () => {
  it("removes the thread's pins and their stored copies with its history", async () => {
    const seed = await result("a windmill");
    await privateAnswer(await bot.discord.click(seed, `pin-style:${jobIdOf(seed)}`));
    const address = { platform: "discord", workspace: bot.discord.guildId, thread: seed.id };
    const [pinnedKey = ""] = (await bot.running.context.styles.get(address))?.imageKeys ?? [];
    expect(await bot.running.context.runs.blobs.find(pinnedKey)).toBeDefined();
    const turn = await bot.discord.say({ channelId: seed.id, content: "add sails", mention: true });
    await botReplyTo(bot, turn);

    const forget = await bot.discord.slash("forget", {}, bot.discord.user, seed.id);
    expect(await toldPrivately(forget)).toMatch(
      /^Deleted: 1 image, 1 stored OpenAI response, this thread's history, this thread's pinned style\./,
    );
    expect(await bot.running.context.styles.get(address)).toBeUndefined();
    expect(await bot.running.context.runs.blobs.find(pinnedKey)).toBeUndefined();
  });
});
