import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { pngHasAlpha } from "../../src/media/png-alpha.js";

const pixels = (channels: 1 | 2 | 3 | 4, alpha = 255) =>
  sharp(Buffer.alloc(16 * 16 * channels, alpha), { raw: { width: 16, height: 16, channels } });

describe("a PNG's transparency read from its chunk headers", () => {
  it("agrees with libvips on every colour type, palettes with and without tRNS included", async () => {
    const half = sharp({
      create: { width: 16, height: 16, channels: 4, background: { r: 200, g: 10, b: 10, alpha: 0.5 } },
    });
    const pngs = {
      rgb: await pixels(3).png().toBuffer(),
      rgba: await pixels(4).png().toBuffer(),
      grey: await pixels(1).png().toBuffer(),
      greyAlpha: await pixels(2).png().toBuffer(),
      palette: await pixels(3).png({ palette: true }).toBuffer(),
      paletteTransparent: await half.png({ palette: true }).toBuffer(),
    };
    const read = Object.fromEntries(Object.entries(pngs).map(([name, bytes]) => [name, pngHasAlpha(bytes)]));
    expect(read).toEqual({
      rgb: false,
      rgba: true,
      grey: false,
      greyAlpha: true,
      palette: false,
      paletteTransparent: true,
    });
    for (const [name, bytes] of Object.entries(pngs))
      expect(read[name], name).toBe((await sharp(bytes).metadata()).hasAlpha);
  });

  it("has no answer for other formats or a cut header", async () => {
    expect(pngHasAlpha(await pixels(3).jpeg().toBuffer())).toBeUndefined();
    expect(pngHasAlpha(await pixels(4).webp().toBuffer())).toBeUndefined();
    expect(pngHasAlpha((await pixels(4).png().toBuffer()).subarray(0, 20))).toBeUndefined();
  });
});
