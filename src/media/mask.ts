import sharp from "sharp";
import { formatMegabytes, LIMITS } from "../core/limits.js";
import { validationError } from "../core/validation-codes.js";
import type { InputFile } from "../engine/events.js";
import { decoderOptions, type FileLabel, inspect } from "./decode.js";

/**
 * The mask convention, for help text and errors. OpenAI edits where the mask is fully transparent; people
 * often draw masks in black and white instead, so those are converted.
 */
export const MASK_CONVENTION =
  "transparent areas of a PNG mark where to edit; in a black-and-white mask, white = edit and black = keep";

/**
 * Formats a mask may arrive in: what sharp's bundled libvips decodes from pixels. SVG and PDF are left out:
 * they are programs for a renderer, not pixels, and a mask has no reason to be one.
 */
const MASK_FORMATS: ReadonlySet<string> = new Set([
  "png",
  "jpeg",
  "webp",
  "gif",
  "tiff",
  "avif",
  "heif",
  "jp2",
]);

/** Per-pixel spread between R, G and B still counted as grey: JPEG chroma noise on a clean mask stays below. */
const GREY_TOLERANCE = 32;
/** Share of pixels allowed beyond the tolerance (coloured anti-aliasing at stroke edges). */
const GREY_OUTLIERS = 0.01;
/** Luminance at or above which a pixel is "white" (edit); greys round to the nearer end. */
const WHITE_FROM = 128;

interface Rgba {
  data: Buffer;
  width: number;
  height: number;
}

async function decodeRgba(bytes: Buffer, label: FileLabel, maxPixels: number): Promise<Rgba> {
  try {
    const { data, info } = await sharp(bytes, decoderOptions(maxPixels))
      .autoOrient()
      .toColourspace("srgb")
      .ensureAlpha()
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (cause) {
    throw validationError("mask_corrupt", `${label.text} is damaged or truncated and cannot be decoded.`, {
      reason: (cause as Error).message,
    });
  }
}

function isGreyscale({ data }: Rgba): boolean {
  let outliers = 0;
  const pixels = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i] ?? 0;
    const g = data[i + 1] ?? 0;
    const b = data[i + 2] ?? 0;
    if (Math.max(r, g, b) - Math.min(r, g, b) > GREY_TOLERANCE) outliers++;
  }
  return outliers <= pixels * GREY_OUTLIERS;
}

/** White (light) → alpha 0, edit; black (dark) → alpha 255, keep. Colour is dropped: only alpha counts. */
function blackAndWhiteToAlpha({ data }: Rgba): Buffer {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i += 4) {
    const luminance = 0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0);
    out[i + 3] = luminance >= WHITE_FROM ? 0 : 255;
  }
  return out;
}

function alphaStats({ data }: Rgba): { min: number; hasZero: boolean } {
  let min = 255;
  for (let i = 3; i < data.length; i += 4) min = Math.min(min, data[i] ?? 255);
  return { min, hasZero: min === 0 };
}

async function encodePng(data: Buffer, width: number, height: number): Promise<Buffer> {
  return (
    sharp(data, { raw: { width, height, channels: 4 } })
      // zlib's default level: a two-level alpha mask compresses as well, and level 9 is slow on noisy ones.
      .png({ compressionLevel: 6 })
      .toBuffer()
  );
}

/**
 * Turns whatever the person sent as a mask into what OpenAI requires: a PNG with alpha, same size as the
 * first image, under 4 MB. A mask with meaningful alpha keeps it; an opaque black-and-white (or grey) one is
 * converted (`MASK_CONVENTION`); an opaque colour one is refused, since which colour means "edit" is a guess.
 * @throws `UserError` with a `mask_*` code.
 */
export async function prepareMask(
  file: { name: string; bytes: Buffer },
  first: { width: number; height: number },
  maxPixels: number,
): Promise<InputFile> {
  const label: FileLabel = { kind: "mask", text: `The mask (${file.name})` };
  if (file.bytes.length >= LIMITS.maxImageBytes) {
    throw validationError(
      "mask_too_large",
      `${label.text} is ${formatMegabytes(file.bytes.length)}; upload it under ${formatMegabytes(LIMITS.maxImageBytes)}.`,
      { bytes: file.bytes.length },
    );
  }
  const info = await inspect(file.bytes, label, maxPixels);
  if (!MASK_FORMATS.has(info.format)) {
    throw validationError(
      "mask_format_unsupported",
      `${label.text} is a ${info.format.toUpperCase()} file; send the mask as PNG, JPEG, WebP or another bitmap.`,
      { format: info.format },
    );
  }
  if (info.width !== first.width || info.height !== first.height) {
    throw validationError(
      "mask_size_mismatch",
      `The mask is ${info.width}x${info.height} but the first image is ${first.width}x${first.height}; they must match.`,
      { mask: `${info.width}x${info.height}`, image: `${first.width}x${first.height}` },
    );
  }
  const rgba = await decodeRgba(file.bytes, label, maxPixels);
  const alpha = alphaStats(rgba);
  let pixels: Buffer;
  let colourKept = false;
  if (alpha.min < 255) {
    if (!alpha.hasZero) {
      throw validationError(
        "mask_empty",
        `${label.text} has no fully transparent pixel, so nothing would be edited; ${MASK_CONVENTION}.`,
      );
    }
    pixels = rgba.data;
    colourKept = true;
  } else {
    if (!isGreyscale(rgba)) {
      throw validationError(
        "mask_not_greyscale",
        `${label.text} has no transparency and is in colour, so where to edit is unclear; ${MASK_CONVENTION}.`,
      );
    }
    pixels = blackAndWhiteToAlpha(rgba);
    if (!alphaStats({ ...rgba, data: pixels }).hasZero) {
      throw validationError(
        "mask_empty",
        `${label.text} is all black, so nothing would be edited; ${MASK_CONVENTION}.`,
      );
    }
  }
  let png = await encodePng(pixels, rgba.width, rgba.height);
  if (png.length >= LIMITS.maxMaskBytes && colourKept) {
    // Only alpha matters to OpenAI; a photo kept behind the alpha is what makes a mask this big.
    const alphaOnly = Buffer.alloc(pixels.length);
    for (let i = 3; i < pixels.length; i += 4) alphaOnly[i] = pixels[i] ?? 0;
    png = await encodePng(alphaOnly, rgba.width, rgba.height);
  }
  if (png.length >= LIMITS.maxMaskBytes) {
    throw validationError(
      "mask_too_large",
      `${label.text} is ${formatMegabytes(png.length)} as a PNG; OpenAI takes masks under ${formatMegabytes(LIMITS.maxMaskBytes)} (use fewer shades of transparency).`,
      { bytes: png.length },
    );
  }
  return { name: "mask.png", bytes: png, contentType: "image/png" };
}
