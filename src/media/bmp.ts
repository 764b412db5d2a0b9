/**
 * Windows BMP, which sharp's prebuilt libvips does not read (it has no ImageMagick loader). The variants
 * people still make are simple enough to read here without a dependency: uncompressed rows of 1, 4 or 8-bit
 * palette indices, 16, 24 or 32-bit colour, and bit-field masks. RLE and embedded JPEG/PNG are refused.
 */

/** Header sizes of the BMP versions: core (OS/2 1.x), info (3.x), V2, V3, V4, V5. */
const HEADER_SIZES = new Set([12, 40, 52, 56, 108, 124]);
const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  compression: number;
}

/** A BMP that is damaged (`corrupt`) or of a variant this reader leaves out (`unsupported`). */
export class BmpError extends Error {
  constructor(
    readonly reason: "corrupt" | "unsupported",
    message: string,
  ) {
    super(message);
    this.name = "BmpError";
  }
}

/** "BM" followed by a known header size: enough to tell a BMP from every format sharp reads. */
export function isBmp(bytes: Buffer): boolean {
  return (
    bytes.length >= 26 && bytes.toString("latin1", 0, 2) === "BM" && HEADER_SIZES.has(bytes.readUInt32LE(14))
  );
}

/** Reads the header only; rows run bottom-up unless the height is negative. */
export function readBmpHeader(bytes: Buffer): BmpHeader & { topDown: boolean; headerSize: number } {
  const headerSize = bytes.readUInt32LE(14);
  if (bytes.length < 14 + headerSize) throw new BmpError("corrupt", "header cut short");
  if (headerSize === 12) {
    const bitsPerPixel = bytes.readUInt16LE(24);
    const header = { width: bytes.readUInt16LE(18), height: bytes.readUInt16LE(20), bitsPerPixel };
    return { ...header, compression: BI_RGB, topDown: false, headerSize };
  }
  const height = bytes.readInt32LE(22);
  return {
    width: bytes.readInt32LE(18),
    height: Math.abs(height),
    topDown: height < 0,
    bitsPerPixel: bytes.readUInt16LE(28),
    compression: bytes.readUInt32LE(30),
    headerSize,
  };
}

/**
 * Whether the pixel rows the header declares run past the file's end: a cut-short BMP is refused from its
 * header, before any pixel work is spent on it (or on the other files of the same request).
 */
export function bmpBodyCutShort(bytes: Buffer): boolean {
  const { width, height, bitsPerPixel } = readBmpHeader(bytes);
  const stride = Math.ceil((width * bitsPerPixel) / 32) * 4;
  return bytes.length < 14 || bytes.readUInt32LE(10) + stride * height > bytes.length;
}

/** One channel of a bit-field pixel: where its bits are and how to stretch them to 0–255. */
interface Field {
  mask: number;
  shift: number;
  max: number;
}

function field(mask: number): Field {
  if (mask === 0) return { mask, shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { mask, shift, max: mask >>> shift };
}

const read = (field: Field, value: number) =>
  field.max === 0 ? 255 : Math.round((((value & field.mask) >>> 0) >>> field.shift) * (255 / field.max));

/** Copies one BGR triple at `at` into `data` at `out` as RGB. */
function writePixel(data: Buffer, out: number, bytes: Buffer, at: number): void {
  data[out] = bytes[at + 2] ?? 0;
  data[out + 1] = bytes[at + 1] ?? 0;
  data[out + 2] = bytes[at] ?? 0;
}

/**
 * Decodes every pixel into RGBA (alpha 255 unless the file has an alpha mask), ready for sharp's raw input.
 * @throws `BmpError` for a damaged file or a variant left out.
 */
export function decodeBmp(bytes: Buffer): { data: Buffer; width: number; height: number; channels: 4 } {
  const { width, height, bitsPerPixel: bpp, compression, topDown, headerSize } = readBmpHeader(bytes);
  if (width <= 0 || height <= 0) throw new BmpError("corrupt", `declares ${width}x${height}`);
  const bitFields = compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS;
  if (compression !== BI_RGB && !(bitFields && (bpp === 16 || bpp === 32))) {
    throw new BmpError("unsupported", `compression ${compression}`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new BmpError("unsupported", `${bpp} bits per pixel`);
  const dataOffset = bytes.readUInt32LE(10);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + stride * height > bytes.length) throw new BmpError("corrupt", "pixel data cut short");

  // Bit-field masks follow the 40-byte info header (or are part of a V2+ header): always at offset 54.
  const masks =
    bitFields && bytes.length >= 66
      ? [54, 58, 62].map((at) => bytes.readUInt32LE(at))
      : bpp === 16
        ? [0x7c00, 0x03e0, 0x001f]
        : [0xff0000, 0x00ff00, 0x0000ff];
  const alphaMask =
    (compression === BI_ALPHABITFIELDS || headerSize >= 56) && bitFields && bytes.length >= 70
      ? bytes.readUInt32LE(66)
      : 0;
  const [red, green, blue] = masks.map(field) as [Field, Field, Field];
  const alpha = field(alphaMask);

  const paletteEntry = headerSize === 12 ? 3 : 4;
  const paletteStart = 14 + headerSize;
  const paletteSize = Math.max(0, Math.floor((dataOffset - paletteStart) / paletteEntry));

  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride;
    let out = y * width * 4;
    for (let x = 0; x < width; x++, out += 4) {
      // Bytes are written one by one: an array per pixel made a 50-megapixel scan take seconds longer.
      if (bpp <= 8) {
        const bit = x * bpp;
        const index = ((bytes[row + (bit >> 3)] ?? 0) >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        // An index past the palette is black, as browsers show it.
        const at = paletteStart + index * paletteEntry;
        if (index < paletteSize) writePixel(data, out, bytes, at);
        data[out + 3] = 255;
      } else if (bpp === 24) {
        writePixel(data, out, bytes, row + x * 3);
        data[out + 3] = 255;
      } else {
        const value = bpp === 16 ? bytes.readUInt16LE(row + x * 2) : bytes.readUInt32LE(row + x * 4);
        data[out] = read(red, value);
        data[out + 1] = read(green, value);
        data[out + 2] = read(blue, value);
        data[out + 3] = read(alpha, value);
      }
    }
  }
  return { data, width, height, channels: 4 };
}
