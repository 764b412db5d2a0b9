import OpenAI, { toFile } from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "./openai/server.js";

/** The fake refuses every markup OpenAI would, so a wrong payload from the bot fails a test. */
let fake: FakeOpenAI;
let client: OpenAI;
let image: Buffer;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: "sk-test", baseURL: fake.url, maxRetries: 0 });
  image = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#448" } })
    .png()
    .toBuffer();
});
afterAll(() => fake.close());

const rgba = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 4, background } });
const png = (bytes: Buffer, name = "markup.png") => toFile(bytes, name, { type: "image/png" });

async function editWith(markup: Buffer, extra: { model?: string; mask?: Buffer } = {}) {
  try {
    await client.images.edit({
      model: extra.model ?? "gpt-image-2.5-flare",
      image: await png(image, "image.png"),
      prompt: "follow the arrows",
      markup: await png(markup),
      ...(extra.mask ? { mask: await png(extra.mask, "mask.png") } : {}),
    });
    return undefined;
  } catch (error) {
    return error as { status: number; param: string; message: string };
  }
}

describe("the fake's images edit endpoint and markup", () => {
  it("takes a transparent PNG the first image's size on a 2.5 model", async () => {
    expect(await editWith(await rgba(256, 256, "#0000").png().toBuffer())).toBeUndefined();
  });

  it.each([
    [
      "on gpt-image-2",
      async () => editWith(await rgba(256, 256, "#0000").png().toBuffer(), { model: "gpt-image-2" }),
    ],
    ["that is not a PNG", async () => editWith(await rgba(256, 256, "#0000").webp().toBuffer())],
    ["without alpha", async () => editWith(await sharp(image).png().toBuffer())],
    ["without a transparent pixel", async () => editWith(await rgba(256, 256, "#fff8").png().toBuffer())],
    ["of another size", async () => editWith(await rgba(128, 256, "#0000").png().toBuffer())],
    [
      "with a mask",
      async () => {
        const clear = await rgba(256, 256, "#0000").png().toBuffer();
        return editWith(clear, { mask: clear });
      },
    ],
  ] as const)("refuses a markup %s with a 400 naming markup", async (_case, run) => {
    expect(await run()).toMatchObject({ status: 400, param: "markup" });
  });
});
