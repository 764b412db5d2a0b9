import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
let red: Buffer;
let blue: Buffer;
beforeAll(async () => {
  bot = await startDiscordBot("discord-edits");
  red = await solidPng(1024, 1024, "#cc2222");
  blue = await solidPng(512, 512, "#2222cc");
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

const editRequest = () => {
  const request = bot.openai.requests.find((each) => each.path === "/v1/images/edits");
  return { request, images: request?.form?.files.filter((file) => file.field.startsWith("image")) ?? [] };
};

describe("edits end to end", () => {
  it("/edit sends the image and the reference images to OpenAI's edit endpoint", async () => {
    const interaction = await bot.discord.slash("edit", {
      prompt: "make it look like autumn",
      image: { filename: "photo.png", bytes: red },
      "image-2": { filename: "style.png", bytes: blue },
      partials: 1,
    });
    const reply = await bot.finalReply(interaction);
    expect(reply.content).toContain("make it look like autumn");
    const { request, images } = editRequest();
    expect(request?.form?.fields.prompt).toBe("make it look like autumn");
    expect(images).toHaveLength(2);
  });

  it('"Edit image" on a message opens a modal for the prompt, then edits that message\'s image', async () => {
    const posted = await bot.discord.say({
      content: "look at this",
      files: [{ filename: "cat.png", bytes: red }],
    });
    const menu = await bot.discord.messageCommand("Edit image", posted);
    await waitFor("the modal", () => menu.callbackType);
    expect(menu.callbackType).toBe(9);
    const customId = String(menu.callbackData?.custom_id);
    const submitted = await bot.discord.submitModal(customId, { prompt: "give the cat a hat" });
    const reply = await bot.finalReply(submitted);
    expect(reply.content).toContain("give the cat a hat");
    expect(editRequest().images).toHaveLength(1);
  });

  it('"Edit image" on a bot result edits the stored original, not the copy shown in Discord', async () => {
    const interaction = await bot.discord.slash("imagine", { prompt: "a tower", partials: 0 });
    const result = await bot.finalReply(interaction);
    bot.openai.reset();
    const menu = await bot.discord.messageCommand("Edit image", result);
    await waitFor("the modal", () => menu.callbackType);
    const submitted = await bot.discord.submitModal(String(menu.callbackData?.custom_id), {
      prompt: "make it taller",
    });
    const reply = await bot.finalReply(submitted);
    expect(reply.content).toContain("make it taller");
    const cdnFetches = bot.discord.requests.filter((request) => request.path.startsWith("/attachments/"));
    expect(
      cdnFetches.filter((request) => request.path.includes(result.attachments[0]?.id ?? "-")),
    ).toHaveLength(0);
    expect(editRequest().images).toHaveLength(1);
  });

  it("a reply that mentions the bot edits the replied-to image plus the reply's attachment", async () => {
    const original = await bot.discord.say({ content: "", files: [{ filename: "room.png", bytes: red }] });
    const ask = await bot.discord.say({
      content: "put this lamp in the room",
      files: [{ filename: "lamp.png", bytes: blue }],
      replyTo: original,
      mention: true,
    });
    const reply = await botReplyTo(bot, ask);
    expect(reply.content).toContain("put this lamp in the room");
    expect(editRequest().images).toHaveLength(2);
  });

  it("a reply to a bot result edits the stored original, and a reply without a mention is ignored", async () => {
    const interaction = await bot.discord.slash("imagine", { prompt: "a small house", partials: 0 });
    const result = await bot.finalReply(interaction);
    bot.openai.reset();
    const ignored = await bot.discord.say({ content: "nice", replyTo: result });
    const ask = await bot.discord.say({ content: "add a garden", replyTo: result, mention: true });
    const reply = await botReplyTo(bot, ask);
    expect(reply.content).toContain("add a garden");
    expect(editRequest().images).toHaveLength(1);
    expect(
      [...bot.discord.world.messages.values()].some((m) => m.message_reference?.message_id === ignored.id),
    ).toBe(false);
  });

  it("refuses a file that is no image, attached to a mention, in the words Slack uses, at no cost", async () => {
    const downloads = () =>
      bot.discord.requests.filter((request) => request.path.startsWith("/attachments/"));
    const downloadsBefore = downloads().length;
    const original = await bot.discord.say({ content: "", files: [{ filename: "room.png", bytes: red }] });
    const ask = await bot.discord.say({
      content: "use these notes",
      files: [{ filename: "notes.txt", bytes: Buffer.from("a kite"), contentType: "text/plain" }],
      replyTo: original,
      mention: true,
    });
    const reply = await botReplyTo(bot, ask);
    expect(reply.content).toBe(
      "⚠️ notes.txt is not an image (text/plain); input images must be PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP or GIF.",
    );
    expect(bot.openai.requests).toHaveLength(0);
    expect(downloads()).toHaveLength(downloadsBefore);
  });
});
