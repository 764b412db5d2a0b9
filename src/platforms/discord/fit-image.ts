import pLimit from "p-limit";
import sharp from "sharp";
import { contentTypeOf, extensionFor } from "../../core/content-types.js";
import type { ImageBytes } from "../../core/images.js";
import { pngHasAlpha } from "../../media/png-alpha.js";

/** An image ready to upload, and what was done to it to fit. */
export interface UploadImage {
  name: string;
  bytes: Buffer;
  contentType: string;
  /** Set when the upload differs from the original (kept in run storage). */
  note?: string;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Fits one image under Discord's per-file limit: as it is when it fits; else re-encoded (WebP keeps
 * transparency, JPEG otherwise) at full size; else downscaled step by step. Animated GIFs are downscaled as
 * GIFs. The original always stays in run storage, and the note says what changed.
 */
export async function fitImage(image: ImageBytes, baseName: string, limit: number): Promise<UploadImage> {
  const name = `${baseName}.${extensionFor(image.format)}`;
  const contentType = contentTypeOf(image.format);
  if (image.bytes.length <= limit) return { name, bytes: image.bytes, contentType };
  const animated = image.format === "gif";
  const source = sharp(image.bytes, { animated });
  const meta = await source.metadata();
  const width = meta.width ?? 1024;
  const height = meta.pageHeight ?? meta.height ?? 1024;
  const target = animated ? "gif" : meta.hasAlpha ? "webp" : "jpeg";
  const encode = (scale: number) => {
    let pipeline = sharp(image.bytes, { animated });
    if (scale < 1) pipeline = pipeline.resize(Math.max(16, Math.round(width * scale)));
    if (target === "gif") return pipeline.gif().toBuffer();
    return target === "webp"
      ? pipeline.webp({ quality: 85 }).toBuffer()
      : pipeline.jpeg({ quality: 85 }).toBuffer();
  };
  let scale = 1;
  let bytes = await encode(scale);
  for (let attempt = 0; bytes.length > limit && attempt < 8; attempt++) {
    // Bytes grow roughly with pixels: aim a little under the limit.
    scale *= Math.min(0.85, Math.sqrt(limit / bytes.length) * 0.9);
    bytes = await encode(scale);
  }
  if (bytes.length > limit) throw new Error(`image cannot be fitted under ${limit} bytes`);
  const shown = scale < 1 ? `${Math.round(width * scale)}x${Math.round(height * scale)} ` : "";
  const how = scale < 1 ? "re-encoded and downscaled" : "re-encoded";
  return {
    name: `${baseName}.${target === "jpeg" ? "jpg" : target}`,
    bytes,
    contentType: contentTypeOf(target),
    note: `${baseName} is shown as ${shown}${target.toUpperCase()} (${how} to fit Discord's ${megabytes(limit)} upload limit; the original ${width}x${height} ${image.format.toUpperCase()} is kept).`,
  };
}

/** A partial's preview: wide enough for Discord's chat column on a large screen, no wider. */
const PREVIEW_EDGE = 768;

/**
 * Partials are previews, on the path between OpenAI's frame and the person seeing it: small, and quick to
 * make. JPEG when the frame has no alpha channel (its encoder is the fastest sharp has, a few ms at this
 * size), else WebP at effort 0 (keeps transparency, half the time of the default effort, about the same
 * bytes). The decode of OpenAI's PNG is most of what is left.
 */
export function previewImage(image: ImageBytes, name: string, limit: number): Promise<UploadImage> {
  return previewing(() => makePreview(image, name, limit));
}

/**
 * Without optimised Huffman tables: half the encode's time at preview size (1.4 ms instead of 2.7 ms at
 * 768x432), for a fifth more bytes of a preview that is a hundredth of its partial.
 */
const PREVIEW_JPEG = { quality: 75, optimiseCoding: false };

/**
 * Previews made at once in this process: one per core (sharp runs each on one libvips thread under glibc), and
 * each holds the decoded frame (6 MB at 1536x1024); fifty jobs' frames at once would hold hundreds of megabytes
 * for nothing.
 * A job whose frame waits here loses nothing: its renderer keeps only its newest frame meanwhile.
 */
const previewing = pLimit(2);

async function makePreview(image: ImageBytes, name: string, limit: number): Promise<UploadImage> {
  const source = sharp(image.bytes);
  const hasAlpha = pngHasAlpha(image.bytes) ?? (await source.metadata()).hasAlpha;
  const resized = source.resize({
    width: PREVIEW_EDGE,
    height: PREVIEW_EDGE,
    fit: "inside",
    withoutEnlargement: true,
  });
  const preview = hasAlpha
    ? { bytes: await resized.webp({ quality: 70, effort: 0 }).toBuffer(), format: "webp" as const }
    : { bytes: await resized.jpeg(PREVIEW_JPEG).toBuffer(), format: "jpeg" as const };
  const fileName = `${name}.${extensionFor(preview.format)}`;
  if (preview.bytes.length <= limit)
    return { name: fileName, bytes: preview.bytes, contentType: contentTypeOf(preview.format) };
  return fitImage(preview, name, limit);
}

/**
 * What the result message attaches for one final: the fitted image; for SVG (which Discord does not show
 * inline) a PNG rendering to look at plus the SVG file itself.
 */
export async function uploadsFor(image: ImageBytes, baseName: string, limit: number): Promise<UploadImage[]> {
  if (image.format !== "svg") return [await fitImage(image, baseName, limit)];
  const png = await fitImage(
    { bytes: await sharp(image.bytes).png().toBuffer(), format: "png" },
    `${baseName}_preview`,
    limit,
  );
  if (image.bytes.length > limit) {
    const note = `${baseName}.svg is larger than Discord's ${megabytes(limit)} upload limit: a PNG of it is shown, the SVG is kept.`;
    return [{ ...png, note: png.note ? `${png.note} ${note}` : note }];
  }
  return [png, { name: `${baseName}.svg`, bytes: image.bytes, contentType: "image/svg+xml" }];
}
