import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait-for.js";
import { blackWithWhiteSquare } from "../media/fixtures.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

/** The case: a 7070x7070 image (about 50 megapixels, a small PNG) with a same-size mask. */
const EDGE = 7070;

let bot: DiscordBot;
let image: Buffer;
let mask: Buffer;
beforeAll(async () => {
  // Bot and worker in one process, as `npm start` runs them: the worker's pixel work shares the event loop.
  bot = await startDiscordBot("discord-gateway-free");
  image = await sharp({ create: { width: EDGE, height: EDGE, channels: 3, background: "#5a7" } })
    .png()
    .toBuffer();
  mask = await blackWithWhiteSquare(EDGE, EDGE, { left: 0, top: 0, size: EDGE / 2 });
});
afterAll(() => bot.close());

describe("no pixel work in the gateway", () => {
  it("answers another person within Discord's deadline while a 7070x7070 image and mask are handled", async () => {
    const big = await bot.discord.slash("imagine", {
      prompt: "paint the corner gold",
      image: { filename: "scan.png", bytes: image },
      mask: { filename: "mask.png", bytes: mask },
      partials: 0,
    });
    // Both files fetched: the old gateway started decoding them here, blocking the process for seconds.
    await waitFor("both downloads", () =>
      bot.discord.requests.filter((request) => request.path.startsWith("/attachments/")).length >= 2
        ? true
        : undefined,
    );
    const other = await bot.discord.slash("imagine", { prompt: "a small boat", partials: 0 });
    // The fake answers 10062 "Unknown interaction" to a first response after 3 s, as Discord does.
    await waitFor("the other person's interaction acknowledged", () => other.callbackType);
    expect(other.callbackType).toBe(5);
    const stillHandling = !bot.openai.requests.some((request) => request.path === "/v1/images/edits");

    const otherReply = await bot.finalReply(other);
    expect(otherReply.content).toContain("a small boat");
    await bot.finalReply(big, 120_000);
    // The big job was still being handled when the other person was answered: the two overlapped.
    expect(stillHandling).toBe(true);

    // The worker scaled both down to the largest useful input, the same size, and converted the mask to alpha.
    const edit = bot.openai.requests.find((request) => request.path === "/v1/images/edits");
    const sentImage = edit?.form?.files.find((file) => file.field.startsWith("image"));
    const sentMask = edit?.form?.files.find((file) => file.field === "mask");
    const imageInfo = await sharp(sentImage?.bytes).metadata();
    const maskInfo = await sharp(sentMask?.bytes).metadata();
    expect([imageInfo.width, imageInfo.height]).toEqual([4096, 4096]);
    expect([maskInfo.format, maskInfo.width, maskInfo.height, maskInfo.hasAlpha]).toEqual([
      "png",
      4096,
      4096,
      true,
    ]);
    expect(bot.logs.filter((record) => record.level >= 50)).toEqual([]);
  }, 180_000);
});
