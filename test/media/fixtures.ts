import { readFile } from "node:fs/promises";
import { crc32 } from "node:zlib";
import sharp from "sharp";

/** A solid RGB image in `format`. */
export function solid(
  width: number,
  height: number,
  colour: string,
  format: "png" | "jpeg" | "webp" | "gif" = "png",
) {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .toFormat(format)
    .toBuffer();
}

/** Black canvas with a white square: the classic hand-drawn mask (white = edit). */
export function blackWithWhiteSquare(
  width: number,
  height: number,
  square: { left: number; top: number; size: number },
  format: "png" | "jpeg" = "png",
) {
  return sharp({ create: { width, height, channels: 3, background: "#000" } })
    .composite([
      {
        input: { create: { width: square.size, height: square.size, channels: 3, background: "#fff" } },
        left: square.left,
        top: square.top,
      },
    ])
    .toFormat(format)
    .toBuffer();
}

/** RGBA pixels of any image, for asserting on real pixel values. */
export async function rgbaPixels(bytes: Buffer) {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    info,
    at: (x: number, y: number) => {
      const i = (y * info.width + x) * 4;
      return { r: data[i], g: data[i + 1], b: data[i + 2], a: data[i + 3] };
    },
  };
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb in 60 bytes: a valid PNG header declaring `width`x`height` (8-bit RGB) with almost
 * no data. Decoding it would allocate gigabytes; a header check must stop it first.
 */
export function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A real HEVC-coded HEIC (what an iPhone saves), 64x48 in four quadrants: red, green / blue, white. sharp's
 * prebuilt binaries read its header but cannot decode it. Made once with Debian bookworm's libheif-examples
 * 1.15.1 (x265 encoder) from a PNG of those quadrants:
 * `heif-enc --no-alpha -q 60 -o quadrants.heic quadrants.png`.
 */
export function quadrantsHeic(): Promise<Buffer> {
  return readFile(new URL("./fixtures/quadrants.heic", import.meta.url));
}

/** The quadrants above as a PNG, for making the same picture in the formats sharp writes. */
export function quadrants(): Promise<Buffer> {
  const quadrant = (background: string, left: number, top: number) => ({
    input: { create: { width: 32, height: 24, channels: 3 as const, background } },
    left,
    top,
  });
  return sharp({ create: { width: 64, height: 48, channels: 3, background: "#000" } })
    .composite([
      quadrant("#ff0000", 0, 0),
      quadrant("#00ff00", 32, 0),
      quadrant("#0000ff", 0, 24),
      quadrant("#ffffff", 32, 24),
    ])
    .png()
    .toBuffer();
}

/**
 * A Windows BMP written byte by byte as the format specifies (sharp writes none). 24 bits per pixel (BGR) or 8
 * with a palette of the image's colours: BITMAPINFOHEADER, bottom-up rows padded to 4 bytes. 32: BITMAPV4HEADER
 * with BGRA bit fields (alpha kept), top-down rows (negative height), as image editors save transparency.
 */
export async function bmp(png: Buffer, bitsPerPixel: 24 | 8 | 32 = 24): Promise<Buffer> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const palette: number[] = [];
  const indexOf = (rgb: number) => {
    if (!palette.includes(rgb)) palette.push(rgb);
    return palette.indexOf(rgb);
  };
  const stride = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const row = (bitsPerPixel === 32 ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
      if (bitsPerPixel === 32) pixels.set([b, g, r, a], row + x * 4);
      else if (bitsPerPixel === 24) pixels.set([b, g, r], row + x * 3);
      else pixels[row + x] = indexOf((r << 16) | (g << 8) | b);
    }
  }
  const colours = Buffer.alloc(bitsPerPixel === 8 ? palette.length * 4 : 0);
  for (const [i, rgb] of palette.entries()) colours.set([rgb & 0xff, (rgb >> 8) & 0xff, rgb >> 16, 0], i * 4);
  const infoSize = bitsPerPixel === 32 ? 108 : 40; // BITMAPV4HEADER or BITMAPINFOHEADER
  const header = Buffer.alloc(14 + infoSize);
  header.write("BM", 0, "latin1");
  header.writeUInt32LE(header.length + colours.length + pixels.length, 2);
  header.writeUInt32LE(header.length + colours.length, 10);
  header.writeUInt32LE(infoSize, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(bitsPerPixel === 32 ? -height : height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(bitsPerPixel, 28);
  header.writeUInt32LE(bitsPerPixel === 32 ? 3 : 0, 30); // BI_BITFIELDS or BI_RGB
  header.writeUInt32LE(pixels.length, 34);
  header.writeUInt32LE(bitsPerPixel === 8 ? palette.length : 0, 46);
  if (bitsPerPixel === 32) {
    for (const [i, mask] of [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000].entries())
      header.writeUInt32LE(mask, 54 + i * 4);
    header.write("sRGB", 70, "latin1"); // LCS_sRGB, stored little-endian as 'BGRs'
  }
  return Buffer.concat([header, colours, pixels]);
}

/**
 * A 1-bit BMP (BITMAPINFOHEADER, a black-and-white palette, bottom-up rows) as scanners save them: small on
 * disk, costly to decode in JavaScript. The top half is white on its left, the bottom half on its right.
 */
export function oneBitBmp(width: number, height: number): Buffer {
  const stride = Math.ceil(width / 32) * 4;
  const pixels = Buffer.alloc(stride * height);
  const half = Math.floor(width / 16);
  for (let y = 0; y < height; y++) {
    // Row 0 of the file is the picture's bottom row.
    const row = (height - 1 - y) * stride;
    if (y < height / 2) pixels.fill(0xff, row, row + half);
    else pixels.fill(0xff, row + half, row + Math.floor(width / 8));
  }
  const palette = Buffer.from([0, 0, 0, 0, 255, 255, 255, 0]);
  const header = Buffer.alloc(54);
  header.write("BM", 0, "latin1");
  header.writeUInt32LE(54 + palette.length + pixels.length, 2);
  header.writeUInt32LE(54 + palette.length, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(1, 28);
  header.writeUInt32LE(pixels.length, 34);
  header.writeUInt32LE(2, 46);
  return Buffer.concat([header, palette, pixels]);
}
