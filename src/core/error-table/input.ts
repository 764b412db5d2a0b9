import { formatCount, formatMegabytes } from "../limits.js";
import type { ErrorGroup } from "./entry.js";
import { COUNT_ERRORS } from "./request.js";

/** OpenAI edits where the mask is fully transparent; people often draw masks in black and white instead. */
const MASK_CONVENTION =
  "transparent areas of a PNG mark where to edit; in a black-and-white mask, white = edit and black = keep";

/** What every refusal of a format says is taken. */
const TAKEN = "input images must be PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP or GIF";

/** Which file a sentence is about, as it names it: `Image 2 (cat.png)`, `The mask (mask.jpg)`. */
interface FileParams {
  file: string;
}

interface Size {
  width: number;
  height: number;
}

const unreadable = ({ file }: FileParams) =>
  `${file} is not an image we can read (or its header is damaged).`;

/** A decode abandoned at its time limit (`DEFAULT_DECODE_TIMEOUT_MS`, src/media/js-decoder.ts). */
const decodeTooSlow = ({ file, seconds }: FileParams & { seconds: number }) =>
  `${file} took more than ${seconds} s to decode and was abandoned; save it as PNG or JPEG and send it again.`;

const corrupt = ({ file }: FileParams) => `${file} is damaged or truncated and cannot be decoded.`;

/** `declared`: the size its header declares; absent when the decoder found the pixels too many. */
const tooManyPixels = ({
  file,
  maxPixels,
  declared,
}: FileParams & { maxPixels: number; declared?: Size }) => {
  if (declared === undefined) return `${file} is larger than ${formatCount(maxPixels)} pixels.`;
  const { width, height } = declared;
  return `${file} declares ${width}x${height} (${formatCount(width * height)} pixels); the limit is ${formatCount(maxPixels)} pixels.`;
};

/** Where the format was found wanting: the header's format, or the decoder on a variant it cannot read. */
type FormatParams = FileParams & { format: string } & (
    | { seen: "header" }
    | { seen: "decoder"; reason: string }
  );

const unreadableVariant = ({ file, format, reason }: FileParams & { format: string; reason: string }) =>
  `${file} is a kind of ${format.toUpperCase()} that cannot be read here (${reason}); save it as PNG or JPEG and send it again.`;

function imageFormat(
  p:
    | FormatParams
    | { seen: "declared"; name?: string | null | undefined; contentType?: string | null | undefined },
): string {
  switch (p.seen) {
    case "declared":
      return `${p.name || "The attached file"} is not an image (${p.contentType || "unknown type"}); ${TAKEN}.`;
    case "header":
      return `${p.file} is a ${p.format.toUpperCase()} file; ${TAKEN}.`;
    case "decoder":
      return unreadableVariant(p);
  }
}

function markupFormat(p: FormatParams): string {
  if (p.seen === "decoder") return unreadableVariant(p);
  return `${p.file} is a ${p.format.toUpperCase()} file; ${MARKUP_IS}.`;
}

/** What OpenAI takes as `markup`: what every refusal of a markup file says. */
const MARKUP_IS = "the markup must be a PNG with transparency, drawn over the first image at its size";

function maskFormat(p: FormatParams): string {
  if (p.seen === "decoder") return unreadableVariant(p);
  return `${p.file} is a ${p.format.toUpperCase()} file; send the mask as PNG, JPEG, WebP or another bitmap.`;
}

/** `bytes` absent: a download passed the cap, its size unknown; `convertedTo`: the size is after conversion. */
function imageTooLarge(p: FileParams & { maxBytes: number; bytes?: number; convertedTo?: string }): string {
  const under = `input images must be under ${formatMegabytes(p.maxBytes)}`;
  if (p.bytes === undefined) return `${p.file} is larger than ${formatMegabytes(p.maxBytes)}; ${under}.`;
  const converted = p.convertedTo === undefined ? "" : ` once converted to ${p.convertedTo.toUpperCase()}`;
  return `${p.file} is ${formatMegabytes(p.bytes)}${converted}; ${under}.`;
}

/** `upload`: the file as received; `png`: the mask once converted to the PNG OpenAI takes. */
function maskTooLarge(p: FileParams & { bytes: number; maxBytes: number; as: "upload" | "png" }): string {
  if (p.as === "upload")
    return `${p.file} is ${formatMegabytes(p.bytes)}; upload it under ${formatMegabytes(p.maxBytes)}.`;
  return `${p.file} is ${formatMegabytes(p.bytes)} as a PNG; OpenAI takes masks under ${formatMegabytes(p.maxBytes)} (use fewer shades of transparency).`;
}

/**
 * `prepareInputs` (src/media): the bytes of input images and the mask. Each `image_*`/`mask_*` pair takes the
 * values both understand, so a code computed from a file's label (`${label.kind}_corrupt`) is checked as both.
 */
export const INPUT_ERRORS = {
  ...COUNT_ERRORS,
  image_too_large: { kind: "invalid_input", sentence: imageTooLarge },
  image_unreadable: { kind: "invalid_input", sentence: unreadable },
  image_corrupt: { kind: "invalid_input", sentence: corrupt },
  image_decode_too_slow: { kind: "invalid_input", sentence: decodeTooSlow },
  image_too_many_pixels: { kind: "invalid_input", sentence: tooManyPixels },
  image_format_unsupported: { kind: "invalid_input", sentence: imageFormat },
  image_animated: {
    kind: "invalid_input",
    sentence: ({ file, frames }: FileParams & { frames: number }) =>
      `${file} is animated (${frames} frames); send a still image, or a GIF to use its first frame.`,
  },
  mask_unreadable: { kind: "invalid_input", sentence: unreadable },
  mask_corrupt: { kind: "invalid_input", sentence: corrupt },
  mask_decode_too_slow: { kind: "invalid_input", sentence: decodeTooSlow },
  mask_too_many_pixels: { kind: "invalid_input", sentence: tooManyPixels },
  mask_format_unsupported: { kind: "invalid_input", sentence: maskFormat },
  mask_size_mismatch: {
    kind: "invalid_input",
    sentence: ({ mask, image }: { mask: string; image: string }) =>
      `The mask is ${mask} but the first image is ${image}; they must match.`,
  },
  mask_not_greyscale: {
    kind: "invalid_input",
    sentence: ({ file }: FileParams) =>
      `${file} has no transparency and is in colour, so where to edit is unclear; ${MASK_CONVENTION}.`,
  },
  mask_empty: {
    kind: "invalid_input",
    sentence: ({ file, drawn }: FileParams & { drawn: "alpha" | "black_and_white" }) =>
      `${file} ${drawn === "alpha" ? "has no fully transparent pixel" : "is all black"}, so nothing would be edited; ${MASK_CONVENTION}.`,
  },
  mask_too_large: { kind: "invalid_input", sentence: maskTooLarge },
  markup_unreadable: { kind: "invalid_input", sentence: unreadable },
  markup_corrupt: { kind: "invalid_input", sentence: corrupt },
  markup_decode_too_slow: { kind: "invalid_input", sentence: decodeTooSlow },
  markup_too_many_pixels: { kind: "invalid_input", sentence: tooManyPixels },
  markup_format_unsupported: { kind: "invalid_input", sentence: markupFormat },
  markup_size_mismatch: {
    kind: "invalid_input",
    sentence: ({ markup, image }: { markup: string; image: string }) =>
      `The markup is ${markup} but the first image is ${image}; draw it at the image's size.`,
  },
  markup_without_alpha: {
    kind: "invalid_input",
    sentence: ({ file }: FileParams) =>
      `${file} has no transparency, so it would hide the image; ${MARKUP_IS}.`,
  },
  markup_opaque: {
    kind: "invalid_input",
    sentence: ({ file }: FileParams) =>
      `${file} has no fully transparent pixel, so it would hide the image; ${MARKUP_IS}.`,
  },
  markup_too_large: {
    kind: "invalid_input",
    sentence: ({ file, bytes, maxBytes }: FileParams & { bytes: number; maxBytes: number }) =>
      `${file} is ${formatMegabytes(bytes)}; upload the markup under ${formatMegabytes(maxBytes)}.`,
  },
} as const satisfies ErrorGroup;
