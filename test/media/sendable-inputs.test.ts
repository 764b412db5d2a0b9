import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/core/limits.js";
import { checkInputHeaders, prepareInputs } from "../../src/media/check-inputs.js";
import { blackWithWhiteSquare, rgbaPixels, solid } from "./fixtures.js";

/** A JPEG as a camera writes one: pixels stored sideways, EXIF orientation 6 saying "turn 90° clockwise". */
async function sidewaysJpeg(): Promise<Buffer> {
  // Stored 64x48 with a red left half; displayed 48x64 with the red half on top.
  const stored = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#00f" } })
    .composite([
      { input: { create: { width: 32, height: 48, channels: 3, background: "#f00" } }, left: 0, top: 0 },
    ])
    .png()
    .toBuffer();
  return sharp(stored).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
}

describe("prepareInputs makes every input what OpenAI expects", () => {
  it("scales an image larger than any model uses down to the longest useful edge, keeping its format", async () => {
    const photo = await solid(5000, 3000, "#884422", "jpeg");
    const inputs = await prepareInputs([{ name: "big.jpg", bytes: photo }]);
    const sent = await sharp(inputs.images[0]?.bytes).metadata();
    expect([sent.format, sent.width, sent.height]).toEqual(["jpeg", LIMITS.maxUsefulInputEdge, 2458]);
    expect(inputs.images[0]).toMatchObject({ name: "image_0.jpg", contentType: "image/jpeg" });
    expect(inputs.conversions).toEqual([{ image: 0, from: "jpeg", to: "jpeg", resizedFrom: "5000x3000" }]);
  });

  it("scales the mask with its image, so both arrive the same size and the mask stays two-level", async () => {
    const size = 4200;
    const image = await solid(size, size, "#336699");
    const mask = await blackWithWhiteSquare(size, size, { left: 0, top: 0, size: 2100 });
    const inputs = await prepareInputs([{ name: "scan.png", bytes: image }], {
      name: "mask.png",
      bytes: mask,
    });
    const edge = LIMITS.maxUsefulInputEdge;
    const sentImage = await sharp(inputs.images[0]?.bytes).metadata();
    expect([sentImage.width, sentImage.height]).toEqual([edge, edge]);
    const sentMask = await rgbaPixels(inputs.mask?.bytes as Buffer);
    expect([sentMask.info.width, sentMask.info.height]).toEqual([edge, edge]);
    // White (edit) became transparent, black (keep) opaque; nearest-neighbour scaling leaves no half alpha.
    expect(sentMask.at(10, 10).a).toBe(0);
    expect(sentMask.at(edge - 10, edge - 10).a).toBe(255);
    const alpha = await sharp(inputs.mask?.bytes).extractChannel(3).raw().toBuffer();
    expect(new Set(alpha)).toEqual(new Set([0, 255]));
    expect(inputs.mask).toMatchObject({ name: "mask.png", contentType: "image/png" });
  });

  it("turns a photo upright by its EXIF orientation, so OpenAI and the mask see what the person saw", async () => {
    const inputs = await prepareInputs([{ name: "IMG_0005.JPG", bytes: await sidewaysJpeg() }]);
    const sent = await rgbaPixels(inputs.images[0]?.bytes as Buffer);
    expect([sent.info.width, sent.info.height]).toEqual([48, 64]);
    expect((await sharp(inputs.images[0]?.bytes).metadata()).orientation ?? 1).toBe(1);
    expect(sent.at(24, 8)).toMatchObject({ r: expect.any(Number) });
    expect(sent.at(24, 8).r).toBeGreaterThan(200);
    expect(sent.at(24, 56).b).toBeGreaterThan(200);
    expect(inputs.conversions).toEqual([{ image: 0, from: "jpeg", to: "jpeg" }]);
  });

  it("converts a CMYK JPEG to sRGB", async () => {
    const cmyk = await sharp(await solid(32, 32, "#cc3322"))
      .toColourspace("cmyk")
      .jpeg()
      .toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe("cmyk");
    const inputs = await prepareInputs([{ name: "print.jpg", bytes: cmyk }]);
    expect((await sharp(inputs.images[0]?.bytes).metadata()).space).toBe("srgb");
  });

  it("sends an image within the useful size, upright and in sRGB exactly as received", async () => {
    const png = await solid(LIMITS.maxUsefulInputEdge, 16, "#123456");
    const inputs = await prepareInputs([{ name: "wide.png", bytes: png }]);
    expect(inputs.images[0]?.bytes).toBe(png);
    expect(inputs.conversions).toBeUndefined();
  });
});

describe("checkInputHeaders: the gateway reads headers only", () => {
  it("passes a damaged body whose header is fine on to the worker, which refuses it", async () => {
    const png = await solid(256, 256, "#abcdef");
    const damaged = png.subarray(0, png.length / 2);
    const headers = await checkInputHeaders([{ name: "half.png", bytes: damaged }]);
    expect(headers.images[0]?.bytes).toBe(damaged);
    await expect(prepareInputs([{ name: "half.png", bytes: damaged }])).rejects.toMatchObject({
      code: "image_corrupt",
    });
  });

  it("checks the mask against the first image by their headers and keeps it as received", async () => {
    const image = await solid(64, 64, "#fff");
    const mask = await blackWithWhiteSquare(64, 64, { left: 0, top: 0, size: 32 }, "jpeg");
    const inputs = await checkInputHeaders([{ name: "a.png", bytes: image }], { name: "m.jpg", bytes: mask });
    expect(inputs.mask).toEqual({ name: "mask_original.jpg", bytes: mask, contentType: "image/jpeg" });
    const wrong = await blackWithWhiteSquare(32, 32, { left: 0, top: 0, size: 8 });
    await expect(
      checkInputHeaders([{ name: "a.png", bytes: image }], { name: "m.png", bytes: wrong }),
    ).rejects.toMatchObject({ code: "mask_size_mismatch" });
  });
});
