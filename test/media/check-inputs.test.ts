import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { prepareInputs, type RawFile } from "../../src/media/check-inputs.js";
import { DEFAULT_MAX_INPUT_PIXELS } from "../../src/media/decode.js";
import { pngDeclaring, solid } from "./fixtures.js";

async function rejection(images: RawFile[], mask?: RawFile, maxInputPixels?: number): Promise<UserError> {
  try {
    await prepareInputs(images, mask, maxInputPixels === undefined ? {} : { maxInputPixels });
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected the inputs to be rejected");
}

describe("prepareInputs: images", () => {
  it("passes png, jpeg and webp through unchanged, named by their real format", async () => {
    const png = await solid(64, 64, "#336699", "png");
    const jpeg = await solid(64, 48, "#aa3300", "jpeg");
    const webp = await solid(32, 32, "#00aa33", "webp");
    const inputs = await prepareInputs([
      { name: "a.png", bytes: png },
      // The name lies; the bytes decide.
      { name: "photo.png", bytes: jpeg },
      { name: "c", bytes: webp },
    ]);
    expect(inputs.images.map(({ name, contentType }) => ({ name, contentType }))).toEqual([
      { name: "image_0.png", contentType: "image/png" },
      { name: "image_1.jpg", contentType: "image/jpeg" },
      { name: "image_2.webp", contentType: "image/webp" },
    ]);
    expect(inputs.images.map((file) => file.bytes)).toEqual([png, jpeg, webp]);
    expect(inputs.mask).toBeUndefined();
  });

  it("returns no images for a plain generation", async () => {
    expect(await prepareInputs([])).toEqual({ images: [] });
  });

  it("rejects a format it does not read as pixels (SVG), naming the file and the accepted formats", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"/>');
    const error = await rejection([
      { name: "ok.png", bytes: await solid(32, 32, "#fff") },
      { name: "cat.png", bytes: svg },
    ]);
    expect(error.code).toBe("image_format_unsupported");
    expect(error.message).toBe(
      "Image 2 (cat.png) is a SVG file; input images must be PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP or GIF.",
    );
  });

  // An animated WebP stays refused (a GIF gives its first frame instead: see convert-inputs.test.ts).
  it("rejects an animated WebP", async () => {
    const frames = await Promise.all(["#123456", "#654321"].map((colour) => solid(16, 32, colour)));
    const animated = await sharp(frames, { join: { animated: true } })
      .webp()
      .toBuffer();
    const error = await rejection([{ name: "anim.webp", bytes: animated }]);
    expect(error.code).toBe("image_animated");
    expect(error.message).toMatch(/Image 1 \(anim.webp\) is animated \(2 frames\)/);
  });

  it("rejects bytes that are not an image", async () => {
    const error = await rejection([{ name: "notes.png", bytes: Buffer.from("definitely not a picture") }]);
    expect(error.code).toBe("image_unreadable");
    expect(error.message).toBe("Image 1 (notes.png) is not an image we can read (or its header is damaged).");
  });

  it("rejects a truncated file whose header is fine", async () => {
    const png = await sharp({
      create: {
        width: 256,
        height: 256,
        channels: 3,
        background: "#000",
        noise: { type: "gaussian", mean: 128, sigma: 40 },
      },
    })
      .png()
      .toBuffer();
    const error = await rejection([{ name: "half.png", bytes: png.subarray(0, png.length >> 1) }]);
    expect(error.code).toBe("image_corrupt");
    expect(error.message).toBe("Image 1 (half.png) is damaged or truncated and cannot be decoded.");
  });

  it("stops a decompression bomb at the header: 60 bytes declaring 60000x60000", async () => {
    const bomb = pngDeclaring(60_000, 60_000);
    expect(bomb.length).toBeLessThan(100);
    const error = await rejection([{ name: "bomb.png", bytes: bomb }]);
    expect(error.code).toBe("image_too_many_pixels");
    expect(error.message).toBe(
      "Image 1 (bomb.png) declares 60000x60000 (3,600,000,000 pixels); the limit is 50,000,000 pixels.",
    );
    expect(DEFAULT_MAX_INPUT_PIXELS).toBe(50_000_000);
  });

  it("stops a real large-dimension image that compresses to little", async () => {
    const big = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: "#fff" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(big.length).toBeLessThan(100_000);
    const error = await rejection([{ name: "flat.png", bytes: big }], undefined, 1_000_000);
    expect(error.code).toBe("image_too_many_pixels");
    expect(error.message).toMatch(/4000x4000 \(16,000,000 pixels\); the limit is 1,000,000 pixels/);
  });

  it("rejects an image of 50 MB or more before decoding it", async () => {
    const error = await rejection([{ name: "huge.png", bytes: Buffer.alloc(50_000_000) }]);
    expect(error.code).toBe("image_too_large");
    expect(error.message).toBe("Image 1 (huge.png) is 50 MB; input images must be under 50 MB.");
  });

  it("rejects more than 16 images before reading any", async () => {
    const junk = { name: "x", bytes: Buffer.from("x") };
    const error = await rejection(Array.from({ length: 17 }, () => junk));
    expect(error.code).toBe("too_many_images");
    expect(error.message).toMatch(/17 input images; the limit is 16/);
  });

  it("rejects a mask without an image", async () => {
    const error = await rejection([], { name: "mask.png", bytes: await solid(8, 8, "#000") });
    expect(error.code).toBe("mask_needs_image");
  });
});
