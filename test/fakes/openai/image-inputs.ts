import sharp, { type Metadata } from "sharp";
import { invalidRequest } from "./errors.js";

/** An input image the API accepted: decoded once so edits can draw on it and masks be checked. */
export interface InputImage {
  bytes: Buffer;
  format: string;
  width: number;
  height: number;
  hasAlpha: boolean;
}

const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
const MAX_MASK_BYTES = 4 * 1024 * 1024;

export async function inspectImage(
  bytes: Buffer,
  param: string,
  allowed: readonly string[] = ["png", "jpeg", "webp"],
): Promise<InputImage> {
  if (bytes.length > MAX_IMAGE_BYTES)
    throw invalidRequest(
      `Invalid '${param}': image files must be smaller than 50 MB.`,
      param,
      "image_file_too_large",
    );
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    throw invalidRequest(
      `Invalid image file or mode for '${param}', please check your image file.`,
      param,
      "invalid_image_file",
    );
  }
  if (!allowed.includes(meta.format)) {
    const list = allowed.map((f) => `'${f}'`).join(", ");
    throw invalidRequest(
      `Invalid image format '${meta.format}' for '${param}'. Supported formats are: ${list}.`,
      param,
      "invalid_image_format",
    );
  }
  return { bytes, format: meta.format, width: meta.width, height: meta.height, hasAlpha: meta.hasAlpha };
}

/** The API's mask rules: a PNG with alpha, under 4 MB, the size of the first image. */
export function checkMask(mask: InputImage, first: InputImage, param = "mask"): void {
  if (mask.bytes.length > MAX_MASK_BYTES)
    throw invalidRequest(
      "Invalid mask: mask files must be smaller than 4 MB.",
      param,
      "image_file_too_large",
    );
  if (mask.format !== "png" || !mask.hasAlpha)
    throw invalidRequest(
      "Invalid mask image format - the mask must be a PNG with an alpha channel.",
      param,
      "invalid_image_format",
    );
  if (mask.width !== first.width || mask.height !== first.height)
    throw invalidRequest(
      `Invalid mask image format - mask size (${mask.width}x${mask.height}) does not match image size (${first.width}x${first.height}).`,
      param,
      "invalid_image_format",
    );
}

/**
 * The API's markup rules (SDK: "A transparent PNG overlaid on the first image to guide the edit. Must match
 * that image's dimensions after orientation and contain transparent pixels. Supports GPT Image 2.5. Cannot be
 * combined with mask."): the model, the format, alpha with at least one fully transparent pixel, the size.
 */
export async function checkMarkup(markup: InputImage, first: InputImage, model: string): Promise<void> {
  const param = "markup";
  if (!/^gpt-image-2\.5-/.test(model))
    throw invalidRequest(`The model '${model}' does not support 'markup'.`, param, "unsupported_parameter");
  if (markup.format !== "png" || !markup.hasAlpha)
    throw invalidRequest(
      "Invalid markup image format - the markup must be a PNG with an alpha channel.",
      param,
      "invalid_image_format",
    );
  const alpha = (await sharp(markup.bytes).stats()).channels.at(-1);
  if (alpha === undefined || alpha.min !== 0)
    throw invalidRequest(
      "Invalid markup image - the markup must contain transparent pixels.",
      param,
      "invalid_image_format",
    );
  if (markup.width !== first.width || markup.height !== first.height)
    throw invalidRequest(
      `Invalid markup image - markup size (${markup.width}x${markup.height}) does not match image size (${first.width}x${first.height}).`,
      param,
      "invalid_image_format",
    );
}

/**
 * Resolves an `image_url`: data URLs are decoded; http(s) URLs are downloaded, which works for
 * other in-repo fakes (a fake CDN) since the real API would fetch them too.
 */
export async function loadImageUrl(url: unknown, param: string): Promise<Buffer> {
  if (typeof url !== "string")
    throw invalidRequest(`Invalid '${param}': expected a URL string.`, param, "invalid_type");
  const data = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(url);
  if (data) {
    const payload = data[3] ?? "";
    return data[2] ? Buffer.from(payload, "base64") : Buffer.from(decodeURIComponent(payload));
  }
  if (!/^https?:\/\//.test(url))
    throw invalidRequest(
      `Invalid '${param}': expected a data URL or an http(s) URL.`,
      param,
      "invalid_image_url",
    );
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(String(response.status));
    return Buffer.from(await response.arrayBuffer());
  } catch {
    throw invalidRequest(`Error while downloading ${url}.`, param, "invalid_image_url");
  }
}
