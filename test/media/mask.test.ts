import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { prepareInputs, type RawFile } from "../../src/media/check-inputs.js";
import { blackWithWhiteSquare, rgbaPixels, solid } from "./fixtures.js";

async function withMask(mask: Buffer, image?: Buffer) {
  const first = image ?? (await solid(64, 64, "#336699"));
  const inputs = await prepareInputs([{ name: "photo.png", bytes: first }], {
    name: "drawn.png",
    bytes: mask,
  });
  if (!inputs.mask) throw new Error("no mask returned");
  return inputs.mask;
}

async function maskRejection(mask: Buffer, image?: Buffer): Promise<UserError> {
  const images: RawFile[] = [{ name: "photo.png", bytes: image ?? (await solid(64, 64, "#336699")) }];
  try {
    await prepareInputs(images, { name: "drawn.png", bytes: mask });
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected the mask to be rejected");
}

/** RGBA raw pixels → PNG. */
function rgbaPng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
) {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  }
  return sharp(data, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

describe("prepareInputs: the mask", () => {
  it("converts a black-and-white mask to alpha: white → transparent (edit), black → opaque (keep)", async () => {
    const mask = await withMask(await blackWithWhiteSquare(64, 64, { left: 16, top: 16, size: 32 }));
    expect(mask).toMatchObject({ name: "mask.png", contentType: "image/png" });
    expect((await sharp(mask.bytes).metadata()).format).toBe("png");
    const pixels = await rgbaPixels(mask.bytes);
    expect(pixels.info).toMatchObject({ width: 64, height: 64, channels: 4 });
    expect(pixels.at(32, 32).a).toBe(0); // white: edit
    expect(pixels.at(2, 2).a).toBe(255); // black: keep
    expect(pixels.at(63, 63).a).toBe(255);
  });

  it("converts a noisy black-and-white JPEG and a single-channel greyscale PNG", async () => {
    const jpeg = await withMask(await blackWithWhiteSquare(64, 64, { left: 0, top: 0, size: 32 }, "jpeg"));
    const fromJpeg = await rgbaPixels(jpeg.bytes);
    expect(fromJpeg.at(8, 8).a).toBe(0);
    expect(fromJpeg.at(56, 56).a).toBe(255);

    const grey = await sharp(await blackWithWhiteSquare(64, 64, { left: 32, top: 32, size: 32 }))
      .removeAlpha()
      .greyscale()
      .toColourspace("b-w")
      .png()
      .toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const fromGrey = await rgbaPixels((await withMask(grey)).bytes);
    expect(fromGrey.at(48, 48).a).toBe(0);
    expect(fromGrey.at(8, 8).a).toBe(255);
  });

  it("rounds greys to the nearer end and treats a fully opaque alpha channel as no alpha", async () => {
    const mask = await rgbaPng(64, 64, (x) => (x < 32 ? [100, 100, 100, 255] : [200, 200, 200, 255]));
    const pixels = await rgbaPixels((await withMask(mask)).bytes);
    expect(pixels.at(10, 10).a).toBe(255); // dark grey: keep
    expect(pixels.at(50, 10).a).toBe(0); // light grey: edit
  });

  it("keeps a mask's own alpha, soft edges included", async () => {
    const mask = await rgbaPng(64, 64, (x) =>
      x < 20 ? [10, 200, 30, 0] : x < 40 ? [10, 200, 30, 128] : [10, 200, 30, 255],
    );
    const out = await rgbaPixels((await withMask(mask)).bytes);
    expect(out.at(5, 5)).toMatchObject({ a: 0 });
    expect(out.at(30, 5)).toMatchObject({ r: 10, g: 200, b: 30, a: 128 });
    expect(out.at(50, 5)).toMatchObject({ r: 10, g: 200, b: 30, a: 255 });
  });

  it("gives the same mask when run again on its own output (the worker re-checks)", async () => {
    const first = await withMask(await blackWithWhiteSquare(64, 64, { left: 16, top: 16, size: 32 }));
    const second = await withMask(first.bytes);
    expect(second.bytes.equals(first.bytes)).toBe(true);
  });

  it("says both sizes when the mask and the first image differ", async () => {
    const error = await maskRejection(
      await blackWithWhiteSquare(512, 512, { left: 0, top: 0, size: 64 }),
      await solid(1024, 1024, "#336699"),
    );
    expect(error.code).toBe("mask_size_mismatch");
    expect(error.message).toBe("The mask is 512x512 but the first image is 1024x1024; they must match.");
  });

  it("compares sizes as displayed, after EXIF orientation", async () => {
    // Stored 64x32, shown 32x64 (orientation 6: rotate 90°).
    const rotated = await sharp({ create: { width: 64, height: 32, channels: 3, background: "#888" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const mask = await withMask(await blackWithWhiteSquare(32, 64, { left: 0, top: 0, size: 16 }), rotated);
    expect((await sharp(mask.bytes).metadata()).width).toBe(32);
  });

  it("refuses an opaque colour mask and explains the convention", async () => {
    const error = await maskRejection(await solid(64, 64, "#ff0000"));
    expect(error.code).toBe("mask_not_greyscale");
    expect(error.message).toMatch(/The mask \(drawn.png\) has no transparency and is in colour/);
    expect(error.message).toMatch(/white = edit and black = keep/);
  });

  it("refuses a mask that marks nothing to edit", async () => {
    const black = await maskRejection(await solid(64, 64, "#000"));
    expect(black.code).toBe("mask_empty");
    expect(black.message).toMatch(/is all black, so nothing would be edited/);
    const translucent = await maskRejection(await rgbaPng(64, 64, () => [0, 0, 0, 100]));
    expect(translucent.code).toBe("mask_empty");
    expect(translucent.message).toMatch(/no fully transparent pixel/);
  });

  it("refuses masks that are not pixels, unreadable or damaged", async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>',
    );
    expect((await maskRejection(svg)).code).toBe("mask_format_unsupported");
    expect((await maskRejection(Buffer.from("nope"))).code).toBe("mask_unreadable");
    const png = await rgbaPng(64, 64, (x, y) => [
      (x * 7) & 255,
      (y * 13) & 255,
      (x * y) & 255,
      x < 8 ? 0 : 255,
    ]);
    expect((await maskRejection(png.subarray(0, png.length - 200))).code).toBe("mask_corrupt");
  });

  it("drops colour behind the alpha when that is what pushes the PNG past 4 MB, and refuses it if still too big", async () => {
    const size = 1200;
    const noisyColour = randomBytes(size * size * 4);
    for (let i = 3; i < noisyColour.length; i += 4) noisyColour[i] = i % 3 === 0 ? 0 : 255;
    const photo = await solid(size, size, "#336699");
    const colourMask = await sharp(noisyColour, { raw: { width: size, height: size, channels: 4 } })
      .png()
      .toBuffer();
    expect(colourMask.length).toBeGreaterThan(4_000_000);
    const kept = await withMask(colourMask, photo);
    expect(kept.bytes.length).toBeLessThan(4_000_000);
    const pixels = await rgbaPixels(kept.bytes);
    expect(pixels.at(0, 0)).toMatchObject({ r: 0, g: 0, b: 0, a: 0 });

    const noisyAlpha = Buffer.alloc(2048 * 2048 * 4);
    const alpha = randomBytes(2048 * 2048);
    for (let i = 0; i < alpha.length; i++) noisyAlpha[i * 4 + 3] = alpha[i] ?? 0;
    noisyAlpha[3] = 0;
    const error = await maskRejection(
      await sharp(noisyAlpha, { raw: { width: 2048, height: 2048, channels: 4 } })
        .png()
        .toBuffer(),
      await solid(2048, 2048, "#336699"),
    );
    expect(error.code).toBe("mask_too_large");
    expect(error.message).toMatch(/as a PNG; OpenAI takes masks under 4 MB/);
  });
});
