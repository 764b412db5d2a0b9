import { userError } from "../core/errors.js";
import { LIMITS } from "../core/limits.js";
import { type FileLabel, type Inspected, inspect } from "./decode.js";

/**
 * Formats a mask may arrive in: what sharp's bundled libvips decodes from pixels. SVG and PDF are left out:
 * they are programs for a renderer, not pixels, and a mask has no reason to be one.
 */
const MASK_FORMATS: Readonly<Record<string, string>> = {
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  tiff: "image/tiff",
  avif: "image/avif",
  jp2: "image/jp2",
};

export const maskLabel = (name: string): FileLabel => ({ kind: "mask", text: `The mask (${name})` });

/**
 * What a mask's header can tell, without decoding a pixel: under 50 MB, a bitmap format, within the pixel
 * limit, and the size of the first image (both as displayed, EXIF orientation applied). Enough for the
 * gateway to refuse a wrong mask at once; its pixels are converted in the worker (`prepareMask`).
 * @throws `UserError` with a `mask_*` code.
 */
export async function checkMaskHeader(
  file: { name: string; bytes: Buffer },
  first: { width: number; height: number },
  maxPixels: number,
): Promise<Inspected & { contentType: string }> {
  const label = maskLabel(file.name);
  if (file.bytes.length >= LIMITS.maxImageBytes) {
    const bytes = file.bytes.length;
    const too = { file: label.text, bytes, maxBytes: LIMITS.maxImageBytes, as: "upload" } as const;
    throw userError("mask_too_large", too, { details: { bytes } });
  }
  const info = await inspect(file.bytes, label, maxPixels);
  const contentType = MASK_FORMATS[info.format];
  if (contentType === undefined) {
    const { format } = info;
    throw userError(
      "mask_format_unsupported",
      { seen: "header", file: label.text, format },
      { details: { format } },
    );
  }
  const differ = sizesDiffer(info, first);
  if (differ) {
    const sizes = { mask: differ.overlay, image: differ.image };
    throw userError("mask_size_mismatch", sizes, { details: sizes });
  }
  return { ...info, contentType };
}

type Size = { width: number; height: number };

/** A file laid over the first image (mask, markup) must have its size: both sizes as sentences show them, if not. */
export function sizesDiffer(overlay: Size, first: Size): { overlay: string; image: string } | undefined {
  if (overlay.width === first.width && overlay.height === first.height) return undefined;
  return { overlay: `${overlay.width}x${overlay.height}`, image: `${first.width}x${first.height}` };
}
