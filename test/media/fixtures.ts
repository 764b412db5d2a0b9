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
