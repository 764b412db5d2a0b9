import sharp from "sharp";
import { validationError } from "../core/validation-codes.js";
import { BmpError, decodeBmp } from "./bmp.js";
import { decodeFailure, decoderOptions, type FileLabel, type Inspected } from "./decode.js";
import { decodeHeic, HeicError } from "./heic.js";

/**
 * Formats people send that OpenAI does not take, by `inspect`'s name, with the content type they travel
 * under until the worker converts them. A GIF gives its first frame; an animated WebP is still refused
 * (`check-inputs.ts`), and an APNG is read by everyone, OpenAI included, as its still default image.
 */
export const CONVERTIBLE_TYPES: Readonly<Record<string, { contentType: string; extension: string }>> = {
  avif: { contentType: "image/avif", extension: "avif" },
  heic: { contentType: "image/heic", extension: "heic" },
  tiff: { contentType: "image/tiff", extension: "tiff" },
  bmp: { contentType: "image/bmp", extension: "bmp" },
  gif: { contentType: "image/gif", extension: "gif" },
};

/** One input converted before it was sent, as `metadata.json` records it under `inputs.conversions`. */
export interface InputConversion {
  /** Position among the run's input images, from 0. */
  image: number;
  from: string;
  to: "png";
  /** Frames (GIF) or pages (TIFF, HEIF) the file had when more than one: only the first was sent. */
  frames?: number;
  /** Storage key of the file as received, when the worker kept it beside the PNG it sent. */
  original?: string;
}

/**
 * Decodes a file in one of `CONVERTIBLE_TYPES` (first frame or page, EXIF orientation applied, colour
 * converted to sRGB by sharp) and encodes it as PNG, lossless and taken by OpenAI.
 * @throws `UserError` `image_corrupt`, `image_too_many_pixels` or `image_format_unsupported`.
 */
export async function convertToPng(
  bytes: Buffer,
  info: Inspected,
  label: FileLabel,
  maxPixels: number,
): Promise<Buffer> {
  try {
    if (info.format === "heic" || info.format === "bmp") {
      const { data, width, height, channels } =
        info.format === "heic" ? await decodeHeic(bytes, maxPixels) : decodeBmp(bytes);
      return await sharp(data, { raw: { width, height, channels } }).png().toBuffer();
    }
    return await sharp(bytes, { ...decoderOptions(maxPixels), page: 0, pages: 1 })
      .autoOrient()
      .png()
      .toBuffer();
  } catch (cause) {
    if ((cause instanceof HeicError || cause instanceof BmpError) && cause.reason === "unsupported") {
      throw validationError(
        `${label.kind}_format_unsupported`,
        `${label.text} is a kind of ${info.format.toUpperCase()} that cannot be read here (${cause.message}); save it as PNG or JPEG and send it again.`,
        { format: info.format, reason: cause.message },
      );
    }
    throw decodeFailure(cause, label, maxPixels);
  }
}
