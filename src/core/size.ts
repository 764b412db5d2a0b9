import { formatCount, LIMITS } from "./limits.js";
import { type ModelCapabilities, modelsWhere, orList, PRESET_SIZES } from "./models.js";
import { validationError } from "./validation-codes.js";

export interface Dimensions {
  width: number;
  height: number;
}

/** `1536x1024` (also `1536X1024`, `1536×1024`, spaces around the x) → dimensions; anything else → undefined. */
export function parseDimensions(text: string): Dimensions | undefined {
  const match = /^\s*(\d{1,6})\s*[x×]\s*(\d{1,6})\s*$/i.exec(text);
  if (!match) return undefined;
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Whether `text` has the shape of a size (`auto` or `WxH`), before any model rule. */
export function isSizeLike(text: string): boolean {
  return text.trim().toLowerCase() === "auto" || parseDimensions(text) !== undefined;
}

/**
 * Checks `size` against the general rules and `model`'s size rule and returns it normalised (`auto` or
 * `WIDTHxHEIGHT`).
 * @throws `UserError` with a `size_*` code; the message names the size and the numbers it broke.
 */
export function checkSize(size: string, model: ModelCapabilities): string {
  if (size.trim().toLowerCase() === "auto") return "auto";
  const dims = parseDimensions(size);
  if (!dims || dims.width === 0 || dims.height === 0) {
    throw validationError(
      "size_invalid",
      `Option size must be auto or WIDTHxHEIGHT, e.g. 1536x1024 (got "${size}").`,
      { size },
    );
  }
  const normalised = `${dims.width}x${dims.height}`;
  const rule = model.sizes;
  if (rule.kind === "presets") {
    if ((PRESET_SIZES as readonly string[]).includes(normalised)) return normalised;
    const custom = modelsWhere((candidate) => candidate.sizes.kind === "arbitrary");
    throw validationError(
      "size_not_supported",
      `Model ${model.name} only takes size ${orList(PRESET_SIZES)} (got ${normalised}); custom sizes need ${orList(custom)}.`,
      { size: normalised, model: model.name },
    );
  }
  checkArbitrarySize(dims, normalised, model.name, rule);
  return normalised;
}

function checkArbitrarySize(
  { width, height }: Dimensions,
  size: string,
  modelName: string,
  rule: Extract<ModelCapabilities["sizes"], { kind: "arbitrary" }>,
): void {
  const step = LIMITS.sizeStep;
  if (width % step !== 0 || height % step !== 0) {
    const round = (value: number) => Math.max(step, Math.round(value / step) * step);
    throw validationError(
      "size_not_multiple_of_16",
      `Size ${size}: width and height must both be multiples of ${step} (try ${round(width)}x${round(height)}).`,
      { size },
    );
  }
  const pixels = width * height;
  const maxEdge = Math.min(rule.maxEdge, LIMITS.maxEdge);
  if (Math.max(width, height) > maxEdge || pixels > LIMITS.maxPixels) {
    throw validationError(
      "size_too_large",
      `Size ${size} is too large: the longest side may be at most ${maxEdge} and the image at most 3840x2160 (${formatCount(LIMITS.maxPixels)} pixels).`,
      { size },
    );
  }
  const ratio = Math.max(width, height) / Math.min(width, height);
  if (ratio > LIMITS.maxAspectRatio) {
    throw validationError(
      "size_aspect_ratio",
      `Size ${size} has an aspect ratio of ${ratio.toFixed(2)}:1; it must be between 1:${LIMITS.maxAspectRatio} and ${LIMITS.maxAspectRatio}:1.`,
      { size },
    );
  }
  if (pixels < rule.minPixels || pixels > rule.maxPixels) {
    throw validationError(
      "size_pixels_out_of_range",
      `Size ${size} has ${formatCount(pixels)} pixels; ${modelName} needs between ${formatCount(rule.minPixels)} and ${formatCount(rule.maxPixels)} (1024x1024 has ${formatCount(1024 * 1024)}).`,
      { size, pixels, model: modelName, minPixels: rule.minPixels, maxPixels: rule.maxPixels },
    );
  }
}
