import sharp, { type Metadata, type SharpOptions } from "sharp";
import { userError } from "../core/errors.js";
import { isBmp, readBmpHeader } from "./bmp.js";

/**
 * Largest input we decode, in pixels. Above every phone camera up to 50 MP (8160x6120); a 200 MP photo
 * would need more memory per decode than a worker should spend, and OpenAI downsizes inputs anyway.
 */
export const DEFAULT_MAX_INPUT_PIXELS = 50_000_000;

/** Which file a message is about: `Image 2 (cat.png)`, `The mask (mask.jpg)`, `The markup (arrows.png)`. */
export interface FileLabel {
  kind: "image" | "mask" | "markup";
  /** How the file is named in sentences. */
  text: string;
}

/** Header facts read without decoding a pixel, with EXIF orientation applied to the size. */
export interface Inspected {
  /**
   * sharp's format name, except that HEIF is told apart by its codec: `avif` (AV1, which sharp decodes) or
   * `heic` (HEVC, which it does not); and `bmp`, read here since sharp cannot.
   */
  format: string;
  width: number;
  height: number;
  pages: number;
  hasAlpha: boolean;
  /** sharp's view of the header (absent for BMP). */
  metadata?: Metadata;
}

/**
 * Untrusted bytes: abort on decode errors and truncation (`failOn: "error"`; `"warning"` would also refuse
 * the many phone JPEGs with harmless warnings) and never decode more than `maxPixels`.
 */
export function decoderOptions(maxPixels: number): SharpOptions {
  return { failOn: "error", limitInputPixels: maxPixels };
}

/**
 * Reads the header only (no pixel decode, so a decompression bomb costs nothing here) and refuses files that
 * are not images or declare more than `maxPixels`.
 * @throws `UserError` `<kind>_unreadable` or `<kind>_too_many_pixels`.
 */
export async function inspect(bytes: Buffer, label: FileLabel, maxPixels: number): Promise<Inspected> {
  let header: Inspected;
  try {
    // The pixel limit is checked below, where the message can quote the declared size.
    header = isBmp(bytes) ? inspectBmp(bytes) : await inspectWithSharp(bytes);
  } catch (cause) {
    const details = { reason: (cause as Error).message };
    throw userError(`${label.kind}_unreadable`, { file: label.text }, { details });
  }
  const { width, height } = header;
  // Only the first frame of a multi-frame file is ever decoded, so it alone counts.
  const pixels = width * height;
  if (pixels > maxPixels) {
    const declared = { width, height };
    const details = { width, height, maxPixels };
    throw userError(`${label.kind}_too_many_pixels`, { file: label.text, maxPixels, declared }, { details });
  }
  return header;
}

async function inspectWithSharp(bytes: Buffer): Promise<Inspected> {
  const metadata = await sharp(bytes, { failOn: "error", limitInputPixels: false }).metadata();
  const format =
    metadata.format === "heif" ? (metadata.compression === "av1" ? "avif" : "heic") : metadata.format;
  const { width, height } = metadata.autoOrient;
  return { format, width, height, pages: metadata.pages ?? 1, hasAlpha: metadata.hasAlpha, metadata };
}

function inspectBmp(bytes: Buffer): Inspected {
  const { width, height, bitsPerPixel } = readBmpHeader(bytes);
  if (width <= 0 || height <= 0) throw new Error(`BMP declares ${width}x${height}`);
  return { format: "bmp", width, height, pages: 1, hasAlpha: bitsPerPixel === 32 };
}

/**
 * Decodes every pixel once (statistics need them all), which is how a damaged or truncated body is found:
 * headers can be fine while the data is not.
 * @throws `UserError` `<kind>_corrupt` or `<kind>_too_many_pixels`.
 */
export async function decodeFully(bytes: Buffer, label: FileLabel, maxPixels: number): Promise<void> {
  try {
    await sharp(bytes, decoderOptions(maxPixels)).stats();
  } catch (cause) {
    throw decodeFailure(cause, label, maxPixels);
  }
}

/** The sentence for a file whose header was fine but whose pixels would not decode. */
export function decodeFailure(cause: unknown, label: FileLabel, maxPixels: number) {
  const reason = (cause as Error).message;
  if (/pixel limit/i.test(reason)) {
    return userError(
      `${label.kind}_too_many_pixels`,
      { file: label.text, maxPixels },
      { details: { maxPixels } },
    );
  }
  return userError(`${label.kind}_corrupt`, { file: label.text }, { details: { reason } });
}
