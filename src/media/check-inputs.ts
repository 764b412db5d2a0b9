import { formatMegabytes, LIMITS } from "../core/limits.js";
import { validationError } from "../core/validation-codes.js";
import type { EngineInputs, InputFile } from "../engine/events.js";
import { CONVERTIBLE_TYPES, convertToPng, type InputConversion } from "./convert.js";
import { DEFAULT_MAX_INPUT_PIXELS, decodeFully, type FileLabel, type Inspected, inspect } from "./decode.js";
import { prepareMask } from "./mask.js";

/** A file as received: the name is only for messages; the bytes decide what it is. */
export interface RawFile {
  name: string;
  bytes: Buffer;
}

export interface PrepareOptions {
  /** Largest image or mask decoded, in pixels (default `DEFAULT_MAX_INPUT_PIXELS`). */
  maxInputPixels?: number;
  /**
   * Converts AVIF, HEIC, TIFF, BMP and GIF images to PNG: the worker's step, run on the bytes it is about to
   * send. Without it (the gateway, which reads headers only) those images are checked by their header and
   * passed on unchanged, named by their real format, for the worker to convert.
   */
  convert?: boolean;
}

/** Checked inputs, and which images were converted on the way (absent when none was). */
export interface PreparedInputs extends EngineInputs {
  conversions?: InputConversion[];
}

/** The formats OpenAI takes as edit inputs, by sharp's format name. */
const INPUT_TYPES: Readonly<Record<string, { contentType: string; extension: string }>> = {
  png: { contentType: "image/png", extension: "png" },
  jpeg: { contentType: "image/jpeg", extension: "jpg" },
  webp: { contentType: "image/webp", extension: "webp" },
};

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
 * are downloaded and refused by their bytes (`prepareInputs`).
 */
/** What every refusal of a format says is taken. */
const TAKEN = "input images must be PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP or GIF";

export function refuseNonImageFiles(files: readonly DeclaredFile[]): void {
  const other = files.find((file) => !file.contentType?.startsWith("image/"));
  if (other === undefined) return;
  throw validationError(
    "image_format_unsupported",
    `${other.name || "The attached file"} is not an image (${other.contentType || "unknown type"}); ${TAKEN}.`,
    { contentType: other.contentType },
  );
}

type CheckedImage = InputFile & { width: number; height: number; conversion?: InputConversion };

/**
 * Checks one input image by its bytes and returns it named `image_<index>.<ext>`: unchanged when OpenAI takes
 * its format (or when `convert` is off), else converted to PNG.
 */
async function checkImage(
  file: RawFile,
  index: number,
  maxPixels: number,
  convert: boolean,
): Promise<CheckedImage> {
  const label = imageLabel(index, file.name);
  if (file.bytes.length >= LIMITS.maxImageBytes) {
    throw validationError(
      "image_too_large",
      `${label.text} is ${formatMegabytes(file.bytes.length)}; input images must be under ${formatMegabytes(LIMITS.maxImageBytes)}.`,
      { bytes: file.bytes.length },
    );
  }
  const info = await inspect(file.bytes, label, maxPixels);
  const type = INPUT_TYPES[info.format];
  if (!type) return convertible(file, index, info, maxPixels, convert);
  if (info.pages > 1) {
    // Cutting an animated WebP to one frame would be a guess at what the person meant; a GIF is always
    // converted (OpenAI never takes one), so its first frame is used.
    throw validationError(
      "image_animated",
      `${label.text} is animated (${info.pages} frames); send a still image, or a GIF to use its first frame.`,
      { pages: info.pages },
    );
  }
  await decodeFully(file.bytes, label, maxPixels);
  // Sent as received: re-encoding would cost quality and the bytes are already in a format OpenAI takes.
  return {
    name: `image_${index}.${type.extension}`,
    bytes: file.bytes,
    contentType: type.contentType,
    width: info.width,
    height: info.height,
  };
}

/** An image in a format OpenAI does not take: passed on by its header, or converted to PNG (`convert`). */
async function convertible(
  file: RawFile,
  index: number,
  info: Inspected,
  maxPixels: number,
  convert: boolean,
): Promise<CheckedImage> {
  const label = imageLabel(index, file.name);
  const type = CONVERTIBLE_TYPES[info.format];
  if (!type) {
    throw validationError(
      "image_format_unsupported",
      `${label.text} is a ${info.format.toUpperCase()} file; ${TAKEN}.`,
      { format: info.format },
    );
  }
  const { width, height } = info;
  if (!convert)
    return {
      name: `image_${index}.${type.extension}`,
      bytes: file.bytes,
      contentType: type.contentType,
      width,
      height,
    };
  const png = await convertToPng(file.bytes, info, label, maxPixels);
  if (png.length >= LIMITS.maxImageBytes) {
    throw validationError(
      "image_too_large",
      `${label.text} is ${formatMegabytes(png.length)} once converted to PNG; input images must be under ${formatMegabytes(LIMITS.maxImageBytes)}.`,
      { bytes: png.length },
    );
  }
  const frames = info.pages > 1 ? { frames: info.pages } : {};
  return {
    name: `image_${index}.png`,
    bytes: png,
    contentType: "image/png",
    width,
    height,
    conversion: { image: index, from: info.format, to: "png", ...frames },
  };
}

/**
 * Checks edit inputs before anything is sent or stored: each image must really be an image (read from its
 * bytes, never its name) in a format OpenAI takes (PNG, JPEG, still WebP) or one converted to PNG (AVIF, HEIC,
 * TIFF, BMP, a GIF's first frame; see `convert`), under 50 MB, within the pixel limit and decodable; the mask
 * is converted to the PNG-with-alpha OpenAI wants (see `prepareMask`) and must match the first image's size.
 * Safe to run twice on its own output (the worker re-checks what the adapter stored).
 * @throws `UserError` of kind `invalid_input` with a code from `INPUT_ERROR_CODES`.
 */
export async function prepareInputs(
  images: RawFile[],
  mask?: RawFile,
  options: PrepareOptions = {},
): Promise<PreparedInputs> {
  const maxPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  if (images.length > LIMITS.maxInputImages) {
    throw validationError(
      "too_many_images",
      `You gave ${images.length} input images; the limit is ${LIMITS.maxInputImages}.`,
      { imageCount: images.length },
    );
  }
  if (mask && images.length === 0) {
    throw validationError(
      "mask_needs_image",
      "A mask marks where to edit the first input image, so it needs at least one image.",
    );
  }
  // One at a time: each decode can take hundreds of megabytes, and the first bad file should be the one named.
  const checked = [];
  for (const [index, image] of images.entries())
    checked.push(await checkImage(image, index, maxPixels, options.convert ?? false));
  const files: InputFile[] = checked.map(({ name, bytes, contentType }) => ({ name, bytes, contentType }));
  const conversions = checked.flatMap(({ conversion }) => (conversion ? [conversion] : []));
  const prepared: PreparedInputs = { images: files, ...(conversions.length > 0 ? { conversions } : {}) };
  const first = checked[0];
  if (!mask || !first) return prepared;
  return { ...prepared, mask: await prepareMask(mask, first, maxPixels) };
}
