import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeInteraction } from "../fakes/discord/fake.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
let red: Buffer;
let blue: Buffer;
let green: Buffer;
beforeAll(async () => {
  bot = await startDiscordBot("discord-blend");
  red = await solidPng(256, 256, "#cc2222");
  blue = await solidPng(256, 256, "#2222cc");
  green = await solidPng(256, 256, "#22cc22");
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

const editRequest = () => {
  const request = bot.openai.requests.find((each) => each.path === "/v1/images/edits");
  return { request, images: request?.form?.files.filter((file) => file.field.startsWith("image")) ?? [] };
};
const spentToday = () =>
  bot.running.context.budget.spent({ kind: "user", id: `discord:${bot.discord.user.id}` }, "day");
const downloads = () => bot.discord.requests.filter((request) => request.path.startsWith("/attachments/"));

/** The private sentence a refused command gets: at once (nothing deferred), or after the intake withdrew. */
async function privateRefusal(interaction: FakeInteraction): Promise<string> {
  const answer = await waitFor("the private answer", () => {
    if (interaction.callbackType === 4)
      return {
        flags: Number(interaction.callbackData?.flags),
        content: String(interaction.callbackData?.content),
      };
    const followup = interaction.followupIds[0];
    return followup === undefined ? undefined : bot.discord.message(followup);
  });
  expect(answer.flags & 64).toBe(64);
  return answer.content;
}

describe("/blend", () => {
  it("makes one image from every attached image with the blending prompt, the person's words and the aspect", async () => {
    const interaction = await bot.discord.slash("blend", {
      image: { filename: "fox.png", bytes: red },
      "image-2": { filename: "forest.png", bytes: blue },
      "image-3": { filename: "watercolour.png", bytes: green },
      prompt: "at dawn",
      aspect: "landscape",
      partials: 0,
    });
    const reply = await bot.finalReply(interaction);
    expect(reply.content).toContain("at dawn");
    const { request, images } = editRequest();
    expect(images.map((file) => file.bytes)).toEqual([red, blue, green]);
    expect(request?.form?.fields.size).toBe("1536x1024");
    expect(request?.form?.fields.n).toBe("1");
    expect(String(request?.form?.fields.prompt)).toMatch(
      /^at dawn\. Blend the 3 input images into one coherent new image/,
    );
  });

  it('"Blend images" on a message with two images blends them at once', async () => {
    const posted = await bot.discord.say({
      content: "these two",
      files: [
        { filename: "a.png", bytes: red },
        { filename: "b.png", bytes: blue },
      ],
    });
    const menu = await bot.discord.messageCommand("Blend images", posted);
    await bot.finalReply(menu);
    const { request, images } = editRequest();
    expect(images).toHaveLength(2);
    expect(String(request?.form?.fields.prompt)).toMatch(/^Blend the 2 input images/);
  });

  it('"Blend images" on a result of two images blends the stored originals, fetching nothing from the CDN', async () => {
    const result = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "two lanterns", n: 2, partials: 0 }),
    );
    await bot.reset();
    const before = downloads().length;
    await bot.finalReply(await bot.discord.messageCommand("Blend images", result));
    const { request, images } = editRequest();
    expect(images).toHaveLength(2);
    expect(String(request?.form?.fields.prompt)).toMatch(/^Blend the 2 input images/);
    expect(downloads()).toHaveLength(before);
  });

  it("refuses one image, a sixth, a file that is no image, and one over the size cap, each in one sentence at no cost", async () => {
    const before = await spentToday();
    const downloadsBefore = downloads().length;
    const one = await bot.discord.slash("blend", { image: { filename: "a.png", bytes: red } });
    expect(await privateRefusal(one)).toBe("⚠️ Blend takes 2 to 5 images; you gave 1.");

    const six = await bot.discord.say({
      files: Array.from({ length: 6 }, (_, index) => ({ filename: `${index}.png`, bytes: red })),
    });
    const menu = await bot.discord.messageCommand("Blend images", six);
    expect(await privateRefusal(menu)).toBe("⚠️ Blend takes 2 to 5 images; you gave 6.");

    const notes = await bot.discord.slash("blend", {
      image: { filename: "a.png", bytes: red },
      "image-2": { filename: "notes.txt", bytes: Buffer.from("a kite"), contentType: "text/plain" },
    });
    expect(await privateRefusal(notes)).toBe(
      "⚠️ notes.txt is not an image (text/plain); input images must be PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP or GIF.",
    );
    expect(downloads()).toHaveLength(downloadsBefore);

    const huge = await bot.discord.slash("blend", {
      image: { filename: "a.png", bytes: red },
      "image-2": { filename: "huge.png", bytes: Buffer.alloc(50_000_001) },
    });
    expect(await privateRefusal(huge)).toMatch(/^⚠️ huge\.png is larger than 50 MB/);

    expect(bot.openai.requests).toHaveLength(0);
    expect((await spentToday()).micro).toBe(before.micro);
  });
});
