import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { galleryComponents, pickId } from "../../src/platforms/discord/gallery.js";
import type { FakeMessage } from "../fakes/discord/fake.js";
import { customIds, galleryFiles, jobIdOf, messageText } from "../helpers/discord-result.js";
import { FOUR_PER_IMAGE } from "../helpers/gallery-actions.js";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, startDiscordBot } from "./harness.js";

/** Discord's flag for Components V2 messages. */
const IS_COMPONENTS_V2 = 1 << 15;

let bot: DiscordBot;
let gallery: FakeMessage;
let jobId: string;

beforeAll(async () => {
  bot = await startDiscordBot("discord-gallery");
  gallery = await bot.finalReply(
    await bot.discord.slash("imagine", { prompt: "four paper boats", n: 4, partials: 0 }),
  );
  jobId = jobIdOf(gallery);
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

describe("a result of several images on Discord", () => {
  it("is a Components V2 message: its text, a gallery of the 4 uploaded finals, actions per image", () => {
    expect(gallery.flags & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(gallery.content).toBe("");
    expect(messageText(gallery)).toContain("**Prompt:** four paper boats");
    expect(jobId).not.toBe("");
    const uploaded = gallery.attachments.map((attachment) => attachment.filename);
    expect(uploaded).toHaveLength(4);
    expect(galleryFiles(gallery.components)).toEqual(uploaded);
    const ids = customIds(gallery.components);
    for (const image of [0, 1, 2, 3]) expect(ids).toContain(`v2:vary:${jobId}:${image}`);
    // The whole result keeps its `action:runId` buttons; Vary is only per image in a gallery.
    expect(ids).toEqual(expect.arrayContaining([`reroll:${jobId}`, `details:${jobId}`, `delete:${jobId}`]));
    expect(ids).not.toContain(`vary:${jobId}`);
  });

  it("varies image 3 with image 3's bytes, not the first image's", async () => {
    const click = await bot.discord.click(gallery, `v2:vary:${jobId}:2`);
    await bot.finalReply(click);
    const edit = bot.openai.requests.find((request) => request.path === "/v1/images/edits");
    const sent = edit?.form?.files.find((file) => file.field.startsWith("image"));
    const finals = (await bot.running.context.runs.getMetadata(jobId)).finals;
    const third = await bot.running.context.runs.blobs.get(finals[2] ?? "");
    const first = await bot.running.context.runs.blobs.get(finals[0] ?? "");
    expect(first.equals(third)).toBe(false);
    expect(sent?.bytes.equals(third)).toBe(true);
  });

  it("answers a press on an image the run does not have privately, and sends nothing to OpenAI", async () => {
    const click = await bot.discord.click(gallery, `v2:vary:${jobId}:7`);
    const answer = await waitFor("the answer", () => click.callbackData);
    expect(JSON.stringify(answer)).toContain("That run has no image to vary.");
    expect(answer.flags).toBe(64);
    expect(bot.openai.requests).toEqual([]);
  });

  it("is found as a result by a reply mentioning the bot: the reply edits the gallery's stored finals", async () => {
    const turn = await bot.discord.say({ replyTo: gallery, mention: true, content: "make them red" });
    const reply = await botReplyTo(bot, turn);
    const edit = bot.openai.requests.find((request) => request.path === "/v1/images/edits");
    expect(edit?.form?.files.filter((file) => file.field.startsWith("image"))).toHaveLength(4);
    const finals = (await bot.running.context.runs.getMetadata(jobId)).finals;
    const inputs = (await bot.running.context.runs.getMetadata(jobIdOf(reply))).inputs.images;
    expect(inputs).toEqual(finals);
  });

  it('keeps the classic layout for one image, with the Responses model\'s words as "Model says:"', async () => {
    const reply = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "one kite", partials: 0, api: "responses" }),
    );
    expect(reply.flags & IS_COMPONENTS_V2).toBe(0);
    expect(reply.content).toMatch(/\*\*Model says:\*\* \S/);
    expect(reply.content).not.toContain("**Model:**");
    expect(customIds(reply.components)).toContain(`vary:${jobIdOf(reply)}`);
  });

  it("fits ten images under Discord's limits, and a pick in a gallery's select varies that image", async () => {
    const reply = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "ten pebbles", n: 10, partials: 0, quality: "low" }),
    );
    const tenth = jobIdOf(reply);
    expect(galleryFiles(reply.components)).toHaveLength(10);
    expect(customIds(reply.components)).toContain(`v2:vary:${tenth}:9`);

    // With four per-image actions (after Finalize, Edit and Use as reference join the registry) ten images take
    // one select per action: the message is laid out so here, and a pick of image 7 in Vary's select varies it.
    const files = galleryFiles(reply.components);
    reply.components = galleryComponents({
      runId: tenth,
      text: messageText(reply),
      images: files.map((file) => ({ file, description: file })),
      actions: { whole: [], perImage: FOUR_PER_IMAGE },
    });
    bot.openai.reset();
    const pick = await bot.discord.select(reply, pickId("vary", tenth), `v2:vary:${tenth}:6`);
    await bot.finalReply(pick);
    const sent = bot.openai.requests[0]?.form?.files.find((file) => file.field.startsWith("image"));
    const finals = (await bot.running.context.runs.getMetadata(tenth)).finals;
    expect(sent?.bytes.equals(await bot.running.context.runs.blobs.get(finals[6] ?? ""))).toBe(true);
  });
});
