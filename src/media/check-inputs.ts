import { userError } from "../core/errors.js";
import type { EngineInputs, InputFile } from "../core/images.js";
import { LIMITS } from "../core/limits.js";
import { bmpBodyCutShort } from "./bmp.js";
import {
  CONVERTIBLE_TYPES,
  decodedInJavaScript,
  encodeForOpenAI,
  type FileType,
  type InputConversion,
  SENDABLE_TYPES,
  sendableAsIs,
  usefulSize,
} from "./convert.js";
import { DEFAULT_MAX_INPUT_PIXELS, decodeFully, type FileLabel, type Inspected, inspect } from "./decode.js";
import { checkMarkupHeader, prepareMarkup } from "./markup.js";
import { prepareMask } from "./mask.js";
import { fitMask } from "./mask-fit.js";
import { checkMaskHeader } from "./mask-header.js";

/** A file as received: the name is only for messages; the bytes decide what it is. */
export interface RawFile {
  name: string;
  bytes: Buffer;
}

export interface PrepareOptions {
  /** Largest image or mask decoded, in pixels (default `DEFAULT_MAX_INPUT_PIXELS`). */
  maxInputPixels?: number;
  /** A BMP or HEIC decode still running after this is abandoned (default `DEFAULT_DECODE_TIMEOUT_MS`). */
  decodeTimeoutMs?: number;
  /** A `markup` for the first image: a transparent PNG of strokes and notes guiding the edit (not with a mask). */
  markup?: RawFile;
}

/** Inputs ready for OpenAI, and which images were re-encoded on the way (absent when none was). */
export interface PreparedInputs extends EngineInputs {
  conversions?: InputConversion[];
}

const imageLabel = (index: number, name: string): FileLabel => ({
  kind: "image",
  text: `Image ${index + 1} (${name})`,
});

/** An attachment as a chat platform describes it before download: its name and declared content type. */
export interface DeclaredFile {
  name?: string | null | undefined;
  contentType?: string | null | undefined;
}

/**
 * Files a person attached as inputs that are no image at all (a `.txt`) are refused by their declared type
 * before anything is downloaded, reserved or sent, in the same words on every platform. Images in other formats
 * are downloaded and refused by their bytes (`checkInputHeaders`).
 */
export function refuseNonImageFiles(files: readonly DeclaredFile[]): void {
  const other = files.find((file) => !file.contentType?.startsWith("image/"));
  if (other === undefined) return;
  const { name, contentType } = other;
  throw userError(
    "image_format_unsupported",
    { seen: "declared", name, contentType },
    { details: { contentType } },
  );
}

/** One image as its header describes it, with the type it travels under until the worker prepares it. */
interface ImageHeader {
  info: Inspected;
  type: FileType;
}

/**
 * Checks one input image by its header (no pixel is decoded): under 50 MB, a format OpenAI takes or one the
 * worker converts, still (a GIF excepted), within the pixel limit, and (a BMP, whose size its header fixes)
 * not cut short.
 */
async function checkImageHeader(file: RawFile, label: FileLabel, maxPixels: number): Promise<ImageHeader> {
  if (file.bytes.length >= LIMITS.maxImageBytes) {
    const bytes = file.bytes.length;
    throw userError(
      "image_too_large",
      { file: label.text, bytes, maxBytes: LIMITS.maxImageBytes },
      { details: { bytes } },
    );
  }
  const info = await inspect(file.bytes, label, maxPixels);
  if (info.format === "bmp" && bmpBodyCutShort(file.bytes)) {
    const details = { reason: "pixel data cut short" };
    throw userError(`${label.kind}_corrupt`, { file: label.text }, { details });
  }
  const sendable = SENDABLE_TYPES[info.format];
  if (sendable !== undefined && info.pages > 1) {
    // Cutting an animated WebP to one frame would be a guess at what the person meant; a GIF is always
    // converted (OpenAI never takes one), so its first frame is used.
    throw userError(
      "image_animated",
      { file: label.text, frames: info.pages },
      { details: { pages: info.pages } },
    );
  }
  const type = sendable ?? CONVERTIBLE_TYPES[info.format];
  if (type === undefined) {
    const { format } = info;
    throw userError(
      "image_format_unsupported",
      { seen: "header", file: label.text, format },
      { details: { format } },
    );
  }
  return { info, type };
}

function checkCounts(images: readonly RawFile[], mask: RawFile | undefined, markup?: RawFile): void {
  if (images.length > LIMITS.maxInputImages) {
    const imageCount = images.length;
    throw userError(
      "too_many_images",
      { count: imageCount, max: LIMITS.maxInputImages },
      { details: { imageCount } },
    );
  }
  if (mask && images.length === 0) {
    throw userError("mask_needs_image");
  }
  if (markup && images.length === 0) {
    throw userError("markup_needs_image");
  }
  if (markup && mask) {
    throw userError("markup_with_mask");
  }
}

/**
 * The gateway's check of edit inputs: headers only, so a person's mistake (wrong format, too many pixels, a
 * mask of another size, a decompression bomb) is refused at once, and no pixel is decoded in the process
 * that must answer everyone within seconds. The files go on as received, named `image_<index>.<ext>` and
 * `mask_original.<ext>` by their real format, for the worker to decode and convert (`prepareInputs`).
 * @throws `UserError` of kind `invalid_input` with a code of the input group (src/core/error-table/input.ts).
 */
export async function checkInputHeaders(
  images: RawFile[],
  mask?: RawFile,
  options: PrepareOptions = {},
): Promise<EngineInputs> {
  const maxPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const { markup } = options;
  const headers = await checkImageHeaders(images, mask, maxPixels, markup);
  const files: InputFile[] = images.map((image, index) => {
    const { type } = headers[index] as ImageHeader;
    return { name: `image_${index}.${type.extension}`, bytes: image.bytes, contentType: type.contentType };
  });
  const first = headers[0]?.info;
  if (markup && first) {
    await checkMarkupHeader(markup, first, maxPixels);
    // Sent as received (a PNG, checked above); the worker checks its pixels (`prepareMarkup`).
    return { images: files, markup: { name: "markup.png", bytes: markup.bytes, contentType: "image/png" } };
  }
  if (!mask || !first) return { images: files };
  const maskHeader = await checkMaskHeader(mask, first, maxPixels);
  const extension = SENDABLE_TYPES[maskHeader.format]?.extension ?? maskHeader.format;
  return {
    images: files,
    // The worker's conversion of it is the run's `mask.png`.
    mask: { name: `mask_original.${extension}`, bytes: mask.bytes, contentType: maskHeader.contentType },
  };
}

/** Counts, then every image's header in order: the first bad one is refused. */
async function checkImageHeaders(
  images: RawFile[],
  mask: RawFile | undefined,
  maxPixels: number,
  markup?: RawFile,
): Promise<ImageHeader[]> {
  checkCounts(images, mask, markup);
  const headers: ImageHeader[] = [];
  for (const [index, image] of images.entries())
    headers.push(await checkImageHeader(image, imageLabel(index, image.name), maxPixels));
  return headers;
}

/** `checkImageHeaders`, then the mask's or markup's header against the first image. */
async function checkAllHeaders(
  images: RawFile[],
  mask: RawFile | undefined,
  maxPixels: number,
  markup?: RawFile,
): Promise<ImageHeader[]> {
  const headers = await checkImageHeaders(images, mask, maxPixels, markup);
  const first = headers[0]?.info;
  if (mask && first) await checkMaskHeader(mask, first, maxPixels);
  if (markup && first) await checkMarkupHeader(markup, first, maxPixels);
  return headers;
}

/**
 * The order images are decoded in: the slow decoders (BMP, HEIC, in JavaScript) last, so a damaged body that
 * libvips finds at once is refused before seconds are spent on them.
 */
function slowDecodesLast(headers: readonly ImageHeader[]): number[] {
  const slow = (index: number) => Number(decodedInJavaScript(headers[index]?.info.format ?? ""));
  return [...headers.keys()].sort((a, b) => slow(a) - slow(b));
}

interface PreparedImage {
  file: InputFile;
  /** As received and displayed (EXIF orientation applied): what a mask is drawn on. */
  received: { width: number; height: number };
  /** As sent: `received`, scaled down when larger than any model uses. */
  sent: { width: number; height: number };
  conversion?: InputConversion;
}

/**
 * The worker's preparation of one image, every pixel decoded: sent as received when OpenAI takes it as it
 * is (`sendableAsIs`; fully decoded once, which is how a damaged body is found), else re-encoded: converted
 * to PNG, scaled down, turned upright or converted to sRGB (`encodeForOpenAI`).
 */
async function prepareImage(
  file: RawFile,
  index: number,
  { info, type }: ImageHeader,
  limits: { maxPixels: number; decodeTimeoutMs?: number },
): Promise<PreparedImage> {
  const label = imageLabel(index, file.name);
  const { maxPixels } = limits;
  const sizes = { received: { width: info.width, height: info.height }, sent: usefulSize(info) };
  if (sendableAsIs(info)) {
    await decodeFully(file.bytes, label, maxPixels);
    const name = `image_${index}.${type.extension}`;
    return { file: { name, bytes: file.bytes, contentType: type.contentType }, ...sizes };
  }
  const encoded = await encodeForOpenAI(file.bytes, info, label, limits);
  if (encoded.bytes.length >= LIMITS.maxImageBytes) {
    const bytes = encoded.bytes.length;
    const too = {
      file: label.text,
      bytes,
      convertedTo: encoded.conversion.to,
      maxBytes: LIMITS.maxImageBytes,
    };
    throw userError("image_too_large", too, { details: { bytes } });
  }
  const name = `image_${index}.${encoded.type.extension}`;
  return {
    file: { name, bytes: encoded.bytes, contentType: encoded.type.contentType },
    ...sizes,
    conversion: { image: index, ...encoded.conversion },
  };
}

/**
 * The worker's preparation of edit inputs, on the bytes it is about to send: everything `checkInputHeaders`
 * checks, then every pixel decoded (a damaged body is refused), each image made sendable (`prepareImage`:
 * AVIF, HEIC, TIFF, BMP and a GIF's first frame become PNG; larger than any model uses is scaled down), and
 * the mask converted to the PNG-with-alpha OpenAI wants (see `prepareMask`), or the markup checked for a
 * transparent pixel (`prepareMarkup`), at the first image's size as sent. Safe to run again on its own output (a retry, a re-roll of stored inputs).
 * @throws `UserError` of kind `invalid_input` with a code of the input group (src/core/error-table/input.ts).
 */
export async function prepareInputs(
  images: RawFile[],
  mask?: RawFile,
  options: PrepareOptions = {},
): Promise<PreparedInputs> {
  const maxPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const limits = {
    maxPixels,
    ...(options.decodeTimeoutMs ? { decodeTimeoutMs: options.decodeTimeoutMs } : {}),
  };
  // Every header first, the mask's included: a bad file anywhere is refused before any pixel work is spent.
  const { markup } = options;
  const headers = await checkAllHeaders(images, mask, maxPixels, markup);
  // One at a time: each decode can take hundreds of megabytes.
  const prepared: PreparedImage[] = [];
  for (const index of slowDecodesLast(headers))
    prepared[index] = await prepareImage(
      images[index] as RawFile,
      index,
      headers[index] as ImageHeader,
      limits,
    );
  const conversions = prepared.flatMap(({ conversion }) => (conversion ? [conversion] : []));
  const inputs: PreparedInputs = {
    images: prepared.map(({ file }) => file),
    ...(conversions.length > 0 ? { conversions } : {}),
  };
  const first = prepared[0];
  if (markup && first) return { ...inputs, markup: await prepareMarkup(markup, first, maxPixels) };
  if (!mask || !first) return inputs;
  // Checked against the first image as received (what the person drew it on), then scaled as that was.
  const converted = await prepareMask(mask, first.received, maxPixels);
  return { ...inputs, mask: await fitMask(converted, first.sent) };
}
