import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { checkInputHeaders, prepareInputs, type RawFile } from "../../src/media/check-inputs.js";
import { bmp, quadrants, quadrantsHeic, rgbaPixels, solid } from "./fixtures.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The picture every format below carries: red, green / blue, white quadrants of 32x24. */
const QUADRANTS = [
  { x: 8, y: 8, rgb: [255, 0, 0] },
  { x: 56, y: 8, rgb: [0, 255, 0] },
  { x: 8, y: 40, rgb: [0, 0, 255] },
  { x: 56, y: 40, rgb: [255, 255, 255] },
];

/** Real files of every format the worker converts, all showing the quadrants. */
async function convertible(): Promise<Record<string, Buffer>> {
  const png = await quadrants();
  return {
    heic: await quadrantsHeic(),
    avif: await sharp(png).avif().toBuffer(),
    tiff: await sharp(png).tiff().toBuffer(),
    bmp: await bmp(png),
    gif: await sharp(png).gif().toBuffer(),
  };
}

async function expectQuadrantsPng(bytes: Buffer, tolerance: number) {
  expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  const pixels = await rgbaPixels(bytes);
  expect([pixels.info.width, pixels.info.height]).toEqual([64, 48]);
  for (const { x, y, rgb } of QUADRANTS) {
    const { r = 0, g = 0, b = 0 } = pixels.at(x, y);
    const spread = Math.max(...[r, g, b].map((value, i) => Math.abs(value - (rgb[i] ?? 0))));
    expect(spread, `pixel ${x},${y} is ${r},${g},${b}`).toBeLessThanOrEqual(tolerance);
  }
}

async function rejection(images: RawFile[], check = prepareInputs): Promise<UserError> {
  try {
    await check(images);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected the inputs to be rejected");
}

describe("prepareInputs in the worker: AVIF, HEIC, TIFF, BMP and GIF become PNG", () => {
  it.each(["heic", "avif", "tiff", "bmp", "gif"])(
    "converts a real %s to a PNG of the same picture",
    async (format) => {
      const bytes = (await convertible())[format] as Buffer;
      const inputs = await prepareInputs([{ name: `photo.${format}`, bytes }]);
      expect(inputs.images.map(({ name, contentType }) => ({ name, contentType }))).toEqual([
        { name: "image_0.png", contentType: "image/png" },
      ]);
      // Lossy codecs (HEVC, AV1 at their defaults, GIF's palette) move colours a little; the quadrants stay.
      await expectQuadrantsPng(inputs.images[0]?.bytes as Buffer, 24);
      expect(inputs.conversions).toEqual([{ image: 0, from: format, to: "png" }]);
    },
  );

  it("converts a BMP with a palette (8 bits per pixel) exactly", async () => {
    const bytes = await bmp(await quadrants(), 8);
    const inputs = await prepareInputs([{ name: "paint.bmp", bytes }]);
    await expectQuadrantsPng(inputs.images[0]?.bytes as Buffer, 0);
  });

  it("sends PNG, JPEG and WebP unchanged beside a converted file, noting only the conversion", async () => {
    const png = await solid(64, 48, "#336699");
    const jpeg = await solid(64, 48, "#aa3300", "jpeg");
    const heic = await quadrantsHeic();
    const inputs = await prepareInputs([
      { name: "a.png", bytes: png },
      { name: "IMG_0001.HEIC", bytes: heic },
      { name: "b.jpg", bytes: jpeg },
    ]);
    expect(inputs.images.map(({ name }) => name)).toEqual(["image_0.png", "image_1.png", "image_2.jpg"]);
    expect(inputs.images[0]?.bytes).toBe(png);
    expect(inputs.images[2]?.bytes).toBe(jpeg);
    expect(inputs.conversions).toEqual([{ image: 1, from: "heic", to: "png" }]);
  });

  it("converts a 32-bit BMP with an alpha bit field and top-down rows, keeping transparency", async () => {
    // The quadrants with a transparent 8x8 corner.
    const { data, info } = await sharp(await quadrants())
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) data[(y * info.width + x) * 4 + 3] = 0;
    const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
      .png()
      .toBuffer();
    const inputs = await prepareInputs([{ name: "sprite.bmp", bytes: await bmp(png, 32) }]);
    const pixels = await rgbaPixels(inputs.images[0]?.bytes as Buffer);
    expect(pixels.at(2, 2).a).toBe(0);
    expect(pixels.at(20, 20)).toEqual({ r: 255, g: 0, b: 0, a: 255 });
    expect(pixels.at(56, 40)).toEqual({ r: 255, g: 255, b: 255, a: 255 });
  });

  it("refuses an RLE-compressed BMP, saying what to do", async () => {
    const bytes = await bmp(await quadrants(), 8);
    bytes.writeUInt32LE(1, 30); // BI_RLE8
    const error = await rejection([{ name: "old.bmp", bytes }]);
    expect(error.code).toBe("image_format_unsupported");
    expect(error.message).toBe(
      "Image 1 (old.bmp) is a kind of BMP that cannot be read here (compression 1); save it as PNG or JPEG and send it again.",
    );
  });

  it("takes an animated GIF's first frame and notes how many frames it had", async () => {
    const frames = await Promise.all(
      ["#ff0000", "#0000ff", "#00ff00"].map((colour) => solid(16, 16, colour)),
    );
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    const inputs = await prepareInputs([{ name: "party.gif", bytes: gif }]);
    const first = await rgbaPixels(inputs.images[0]?.bytes as Buffer);
    expect(first.info.pages ?? 1).toBe(1);
    expect(first.at(8, 8)).toMatchObject({ r: 255, g: 0, b: 0 });
    expect(inputs.conversions).toEqual([{ image: 0, from: "gif", to: "png", frames: 3 }]);
  });

  it("the converted picture is the one the mask is checked against", async () => {
    const mask = await sharp({ create: { width: 64, height: 48, channels: 4, background: "#0000" } })
      .png()
      .toBuffer();
    const inputs = await prepareInputs([{ name: "IMG_0002.HEIC", bytes: await quadrantsHeic() }], {
      name: "mask.png",
      bytes: mask,
    });
    expect(inputs.mask?.name).toBe("mask.png");
  });

  it("refuses a HEIC cut short with one sentence naming the file", async () => {
    const heic = await quadrantsHeic();
    const error = await rejection([{ name: "IMG_0003.HEIC", bytes: heic.subarray(0, heic.length - 200) }]);
    expect(error.code).toBe("image_corrupt");
    expect(error.message).toBe("Image 1 (IMG_0003.HEIC) is damaged or truncated and cannot be decoded.");
  });

  it("refuses a BMP cut short with one sentence naming the file", async () => {
    const bytes = await bmp(await quadrants());
    const error = await rejection([{ name: "scan.bmp", bytes: bytes.subarray(0, 2000) }]);
    expect(error.code).toBe("image_corrupt");
    expect(error.message).toBe("Image 1 (scan.bmp) is damaged or truncated and cannot be decoded.");
  });

  it("stops a BMP declaring too many pixels at its header", async () => {
    const bytes = await bmp(await quadrants());
    bytes.writeInt32LE(100_000, 18);
    bytes.writeInt32LE(100_000, 22);
    const error = await rejection([{ name: "huge.bmp", bytes }], checkInputHeaders);
    expect(error.code).toBe("image_too_many_pixels");
    expect(error.message).toBe(
      "Image 1 (huge.bmp) declares 100000x100000 (10,000,000,000 pixels); the limit is 50,000,000 pixels.",
    );
  });

  it("still refuses what it cannot read as pixels (SVG), naming the file and what is taken", async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>',
    );
    const error = await rejection([{ name: "logo.svg", bytes: svg }]);
    expect(error.code).toBe("image_format_unsupported");
    expect(error.message).toBe(
      "Image 1 (logo.svg) is a SVG file; input images must be PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP or GIF.",
    );
  });
});

describe("checkInputHeaders in the gateway: headers only", () => {
  it("passes AVIF, HEIC, TIFF, BMP and GIF on unchanged, named by their real format, for the worker", async () => {
    const files = await convertible();
    const inputs = await checkInputHeaders(
      Object.entries(files).map(([format, bytes]) => ({ name: `upload.${format}`, bytes })),
    );
    expect(inputs.images.map(({ name, contentType }) => ({ name, contentType }))).toEqual([
      { name: "image_0.heic", contentType: "image/heic" },
      { name: "image_1.avif", contentType: "image/avif" },
      { name: "image_2.tiff", contentType: "image/tiff" },
      { name: "image_3.bmp", contentType: "image/bmp" },
      { name: "image_4.gif", contentType: "image/gif" },
    ]);
    expect(inputs.images.map((file) => file.bytes)).toEqual(Object.values(files));
  });
});
