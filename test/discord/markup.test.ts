import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeInteraction, FakeMessage } from "../fakes/discord/fake.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

/** A transparent canvas with one opaque stroke: an arrow drawn over the photo to guide the edit. */
function strokes(width: number, height: number) {
  return sharp({ create: { width, height, channels: 4, background: "#0000" } })
    .composite([
      { input: { create: { width: 40, height: 200, channels: 4, background: "#f00f" } }, left: 20, top: 20 },
    ])
    .png()
    .toBuffer();
}

let bot: DiscordBot;
let photo: Buffer;
let markup: Buffer;
beforeAll(async () => {
  bot = await startDiscordBot("discord-markup");
  photo = await solidPng(1024, 1024, "#cc2222");
  markup = await strokes(1024, 1024);
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

const MARKUP_MODEL = "gpt-image-2.5-flare";

/**
 * The private sentence a refused command gets: at once when the options alone are wrong (nothing deferred),
 * else after the download, its public reply withdrawn.
 */
async function privateRefusal(interaction: FakeInteraction): Promise<string> {
  const answer = await waitFor("the private answer", () => {
    if (interaction.callbackType === 4)
      return {
        flags: Number(interaction.callbackData?.flags),
        content: String(interaction.callbackData?.content),
      };
    const followup = interaction.followupIds[0];
    if (followup === undefined) return undefined;
    expect(bot.discord.original(interaction)?.deleted).toBe(true);
    return bot.discord.message(followup);
  });
  expect(answer.flags & 64).toBe(64);
  return answer.content;
}

describe("/edit markup", () => {
  it("sends the markup beside the image to OpenAI's edit endpoint, and a re-roll sends it again", async () => {
    const interaction = await bot.discord.slash("edit", {
      prompt: "move the lamp where the arrow points",
      image: { filename: "room.png", bytes: photo },
      markup: { filename: "arrows.png", bytes: markup },
      model: MARKUP_MODEL,
      partials: 0,
    });
    const reply = await bot.finalReply(interaction);
    expect(reply.content).toContain("move the lamp where the arrow points");
    const edit = bot.openai.requests.find((request) => request.path === "/v1/images/edits");
    const sent = edit?.form?.files.find((file) => file.field === "markup");
    expect(sent?.bytes.equals(markup)).toBe(true);
    expect(edit?.form?.files.filter((file) => file.field === "mask")).toHaveLength(0);
    expect(edit?.form?.fields.model).toBe(MARKUP_MODEL);

    await bot.reset();
    const jobId = /job `([^`]+)`/.exec(reply.content)?.[1] ?? "";
    await bot.finalReply(await bot.discord.click(reply, `reroll:${jobId}`));
    const again = bot.openai.requests.find((request) => request.path === "/v1/images/edits");
    expect(again?.form?.files.find((file) => file.field === "markup")?.bytes.equals(markup)).toBe(true);
  });

  it.each([
    [
      "with a mask",
      async () => ({
        mask: { filename: "mask.png", bytes: await strokes(1024, 1024) },
        markup: { filename: "arrows.png", bytes: markup },
        model: MARKUP_MODEL,
      }),
      "⚠️ OpenAI takes a mask or a markup, not both: remove one of them.",
    ],
    [
      "of another size",
      async () => ({
        markup: { filename: "arrows.png", bytes: await strokes(512, 1024) },
        model: MARKUP_MODEL,
      }),
      "⚠️ The markup is 512x1024 but the first image is 1024x1024; draw it at the image's size.",
    ],
    [
      "without alpha",
      async () => ({
        markup: { filename: "arrows.png", bytes: await solidPng(1024, 1024, "#fff") },
        model: MARKUP_MODEL,
      }),
      "⚠️ The markup (arrows.png) has no transparency, so it would hide the image; the markup must be a PNG with transparency, drawn over the first image at its size.",
    ],
    [
      "on gpt-image-2",
      async () => ({ markup: { filename: "arrows.png", bytes: markup }, model: "gpt-image-2" }),
      "⚠️ Model gpt-image-2 does not take a markup; markup needs gpt-image-2.5-sunburst or gpt-image-2.5-flare.",
    ],
  ] as const)("refuses a markup %s in one private sentence, at no cost", async (_case, options, sentence) => {
    const interaction = await bot.discord.slash("edit", {
      prompt: "move the lamp",
      image: { filename: "room.png", bytes: photo },
      ...(await options()),
    });
    expect(await privateRefusal(interaction)).toBe(sentence);
    expect(bot.openai.requests).toHaveLength(0);
  });
});

describe('the "Edit image" form\'s markup upload', () => {
  /** The form opened on `message` by `person`, and its file upload's label if it has one. */
  async function openForm(message: FakeMessage, person = bot.discord.otherUser) {
    const menu = await bot.discord.messageCommand("Edit image", message, person);
    await waitFor("the modal", () => menu.callbackType);
    expect(menu.callbackType).toBe(9);
    const form = menu.callbackData as { custom_id: string; components: Record<string, unknown>[] };
    const upload = form.components.find((component) => component.type === 18);
    return { customId: form.custom_id, upload };
  }

  it("is offered only when the edit's model takes a markup, and sends the file put there", async () => {
    const posted = await bot.discord.say({ files: [{ filename: "room.png", bytes: photo }] });
    // The default model, gpt-image-2, takes none: the form asks for the prompt alone.
    expect((await openForm(posted, bot.discord.user)).upload).toBeUndefined();

    const person = bot.discord.otherUser;
    const set = await bot.discord.slash("settings", { model: MARKUP_MODEL }, person);
    await waitFor("settings answer", () => set.callbackType);
    const form = await openForm(posted, person);
    expect(form.upload).toMatchObject({
      label: "Markup (optional)",
      component: { type: 19, custom_id: "markup", min_values: 0, max_values: 1, required: false },
    });
    const submitted = await bot.discord.submitModal(
      form.customId,
      { prompt: "move the lamp where the arrow points", markup: [{ filename: "arrows.png", bytes: markup }] },
      person,
    );
    await bot.finalReply(submitted);
    const edit = bot.openai.requests.find((request) => request.path === "/v1/images/edits");
    expect(edit?.form?.files.find((file) => file.field === "markup")?.bytes.equals(markup)).toBe(true);
    expect(edit?.form?.fields.model).toBe(MARKUP_MODEL);
  });

  it("on a bot result made by a model with markup, sends the markup with the stored original", async () => {
    const made = await bot.finalReply(
      await bot.discord.slash("imagine", {
        prompt: "a room",
        model: MARKUP_MODEL,
        size: "1024x1024",
        partials: 0,
      }),
    );
    await bot.reset();
    const form = await openForm(made, bot.discord.user);
    expect(form.upload).toBeDefined();
    const submitted = await bot.discord.submitModal(form.customId, {
      prompt: "a lamp where the arrow points",
      markup: [{ filename: "arrows.png", bytes: markup }],
    });
    await bot.finalReply(submitted);
    const edit = bot.openai.requests.find((request) => request.path === "/v1/images/edits");
    expect(edit?.form?.files.find((file) => file.field === "markup")?.bytes.equals(markup)).toBe(true);
  });

  it("refuses a markup of another size put in the form, in one private sentence, nothing sent", async () => {
    const posted = await bot.discord.say({ files: [{ filename: "room.png", bytes: photo }] });
    const person = bot.discord.otherUser;
    const set = await bot.discord.slash("settings", { model: MARKUP_MODEL }, person);
    await waitFor("settings answer", () => set.callbackType);
    const form = await openForm(posted, person);
    const submitted = await bot.discord.submitModal(
      form.customId,
      { prompt: "move the lamp", markup: [{ filename: "arrows.png", bytes: await strokes(512, 512) }] },
      person,
    );
    expect(await privateRefusal(submitted)).toBe(
      "⚠️ The markup is 512x512 but the first image is 1024x1024; draw it at the image's size.",
    );
    expect(bot.openai.requests).toHaveLength(0);
  });
});
