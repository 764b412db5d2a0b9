import sharp, { type Sharp } from "sharp";
import { userError } from "../core/errors.js";
import { LIMITS } from "../core/limits.js";
import { decodeFailure, decoderOptions, type FileLabel, type Inspected } from "./decode.js";
import { DecodeTimeoutError, decodeOffLoop, type JsDecodedFormat, JsDecodeError } from "./js-decoder.js";

/** A format as it travels: its content type and file extension. */
export interface FileType {
  contentType: string;
  extension: string;
}

/** The formats OpenAI takes as edit inputs, by sharp's format name. */
export const SENDABLE_TYPES: Readonly<Record<string, FileType>> = {
  png: { contentType: "image/png", extension: "png" },
  jpeg: { contentType: "image/jpeg", extension: "jpg" },
  webp: { contentType: "image/webp", extension: "webp" },
};

/**
 * Formats people send that OpenAI does not take, by `inspect`'s name, with the content type they travel
 * under until the worker converts them. A GIF gives its first frame; an animated WebP is still refused
 * (`check-inputs.ts`), and an APNG is read by everyone, OpenAI included, as its still default image.
 */
export const CONVERTIBLE_TYPES: Readonly<Record<string, FileType>> = {
  avif: { contentType: "image/avif", extension: "avif" },
  heic: { contentType: "image/heic", extension: "heic" },
  tiff: { contentType: "image/tiff", extension: "tiff" },
  bmp: { contentType: "image/bmp", extension: "bmp" },
  gif: { contentType: "image/gif", extension: "gif" },
};

/** One input re-encoded before it was sent, as `metadata.json` records it under `inputs.conversions`. */
export interface InputConversion {
  /** Position among the run's input images, from 0. */
  image: number;
  from: string;
  to: "png" | "jpeg" | "webp";
  /** Frames (GIF) or pages (TIFF, HEIF) the file had when more than one: only the first was sent. */
  frames?: number;
  /** `7070x7070`: the size received, when it was larger than any model uses and was scaled down. */
  resizedFrom?: string;
  /** Storage key of the file as received, when the worker kept it beside the file it sent. */
  original?: string;
}

/** Colour spaces sent as they are; anything else (CMYK, 16-bit) is converted to 8-bit sRGB. */
const PLAIN_SPACES: ReadonlySet<string> = new Set(["srgb", "b-w"]);

/** The size an input is sent at: as displayed, scaled down to fit `LIMITS.maxUsefulInputEdge`. */
export function usefulSize({ width, height }: { width: number; height: number }): {
  width: number;
  height: number;
} {
  const scale = Math.min(1, LIMITS.maxUsefulInputEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Whether an image OpenAI takes can go as received: no larger than any model uses, upright (no EXIF rotation
 * left for the reader to apply, which the mask's size was checked against) and in plain sRGB.
 */
export function sendableAsIs(info: Inspected): boolean {
  const size = usefulSize(info);
  const metadata = info.metadata;
  return (
    SENDABLE_TYPES[info.format] !== undefined &&
    size.width === info.width &&
    size.height === info.height &&
    (metadata?.orientation ?? 1) === 1 &&
    PLAIN_SPACES.has(metadata?.space ?? "srgb")
  );
}

export interface Encoded {
  bytes: Buffer;
  type: FileType;
  conversion: Omit<InputConversion, "image">;
}

/**
 * Decodes an input (first frame or page, EXIF orientation applied, colour converted to sRGB, scaled down to
 * `usefulSize` while loading: libvips shrinks a JPEG as it decodes it, so a 48-megapixel photo never fills
 * memory at full size) and encodes it for OpenAI: in its own format when OpenAI takes it, else as PNG.
 * BMP and HEIC are decoded on the decode thread (`decodeOffLoop`), abandoned after `decodeTimeoutMs`.
 * @throws `UserError` `image_corrupt`, `image_too_many_pixels`, `image_format_unsupported` or
 * `image_decode_too_slow`.
 */
export async function encodeForOpenAI(
  bytes: Buffer,
  info: Inspected,
  label: FileLabel,
  limits: { maxPixels: number; decodeTimeoutMs?: number },
): Promise<Encoded> {
  const { maxPixels } = limits;
  const size = usefulSize(info);
  const to = SENDABLE_TYPES[info.format] ? (info.format as InputConversion["to"]) : "png";
  try {
    const pipeline = (await decoded(bytes, info, limits))
      .resize({ ...size, fit: "inside", withoutEnlargement: true })
      .toColourspace("srgb");
    const encoded = await encoder(pipeline, to).toBuffer();
    const resized = size.width !== info.width || size.height !== info.height;
    return {
      bytes: encoded,
      type: SENDABLE_TYPES[to] ?? { contentType: "image/png", extension: "png" },
      conversion: {
        from: info.format,
        to,
        ...(info.pages > 1 ? { frames: info.pages } : {}),
        ...(resized ? { resizedFrom: `${info.width}x${info.height}` } : {}),
      },
    };
  } catch (cause) {
    if (cause instanceof DecodeTimeoutError) {
      const seconds = Math.ceil(cause.timeoutMs / 1000);
      const details = { format: info.format, timeoutMs: cause.timeoutMs };
      throw userError(`${label.kind}_decode_too_slow`, { file: label.text, seconds }, { details });
    }
    if (cause instanceof JsDecodeError && cause.reason === "unsupported") {
      const details = { format: info.format, reason: cause.message };
      throw userError(
        `${label.kind}_format_unsupported`,
        { seen: "decoder", file: label.text, ...details },
        { details },
      );
    }
    throw decodeFailure(cause, label, maxPixels);
  }
}

/** Formats whose pixels come from a decoder written in JavaScript or WebAssembly: the slow ones. */
export function decodedInJavaScript(format: string): boolean {
  return format === "bmp" || format === "heic";
}

/**
 * A pipeline over the file's first frame, upright: HEIC and BMP through their own decoders, on the decode
 * thread (their pixel loops run in JavaScript or WebAssembly), the rest by sharp, whose libvips works off the
 * event loop already.
 */
async function decoded(
  bytes: Buffer,
  info: Inspected,
  { maxPixels, decodeTimeoutMs }: { maxPixels: number; decodeTimeoutMs?: number },
): Promise<Sharp> {
  if (decodedInJavaScript(info.format)) {
    const { data, width, height, channels } = await decodeOffLoop(
      info.format as JsDecodedFormat,
      bytes,
      maxPixels,
      decodeTimeoutMs,
    );
    return sharp(data, { raw: { width, height, channels } });
  }
  return sharp(bytes, { ...decoderOptions(maxPixels), page: 0, pages: 1 }).autoOrient();
}

/** PNG stays lossless; a photo sent as JPEG or WebP is re-encoded at a quality no one can tell apart. */
function encoder(pipeline: Sharp, to: InputConversion["to"]): Sharp {
  if (to === "jpeg") return pipeline.jpeg({ quality: 92 });
  if (to === "webp") return pipeline.webp({ quality: 92 });
  return pipeline.png();
}
