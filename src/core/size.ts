import { type UserError, userError } from "./errors.js";
import { LIMITS } from "./limits.js";
import { type ModelCapabilities, modelsWhere, PRESET_SIZES } from "./models.js";

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
    throw userError("size_invalid", { size }, { details: { size } });
  }
  const normalised = `${dims.width}x${dims.height}`;
  const rule = model.sizes;
  if (rule.kind === "presets") {
    if ((PRESET_SIZES as readonly string[]).includes(normalised)) return normalised;
    const custom = modelsWhere((candidate) => candidate.sizes.kind === "arbitrary");
    const details = { size: normalised, model: model.name };
    throw userError("size_not_supported", { ...details, presets: PRESET_SIZES, custom }, { details });
  }
  checkArbitrarySize(dims, normalised, model.name, rule);
  return normalised;
}

type ArbitraryRule = Extract<ModelCapabilities["sizes"], { kind: "arbitrary" }>;

type SizeRuleCode =
  | "size_not_multiple_of_16"
  | "size_too_large"
  | "size_aspect_ratio"
  | "size_pixels_out_of_range";

/** The general limits and the model's own, merged: the numbers every custom size is checked against. */
function boundsOf(rule: ArbitraryRule) {
  return {
    step: LIMITS.sizeStep,
    maxEdge: Math.min(rule.maxEdge, LIMITS.maxEdge),
    maxPixels: LIMITS.maxPixels,
    minPixels: rule.minPixels,
    modelMaxPixels: rule.maxPixels,
    maxAspect: LIMITS.maxAspectRatio,
  };
}

/** Whether a custom size breaks any rule of `rule` (the general limits and the model's own). */
export function sizeRuleBroken(dims: Dimensions, rule: ArbitraryRule): boolean {
  return brokenRule(dims, rule) !== undefined;
}

/** The first rule a custom size breaks, in the order the messages explain them; undefined when it passes. */
function brokenRule({ width, height }: Dimensions, rule: ArbitraryRule): SizeRuleCode | undefined {
  const bounds = boundsOf(rule);
  if (width % bounds.step !== 0 || height % bounds.step !== 0) return "size_not_multiple_of_16";
  const pixels = width * height;
  if (Math.max(width, height) > bounds.maxEdge || pixels > bounds.maxPixels) return "size_too_large";
  if (Math.max(width, height) / Math.min(width, height) > bounds.maxAspect) return "size_aspect_ratio";
  if (pixels < bounds.minPixels || pixels > bounds.modelMaxPixels) return "size_pixels_out_of_range";
  return undefined;
}

/**
 * The valid size nearest to what was typed: the aspect ratio pulled into 1:3..3:1, the pixel count into the
 * model's bounds, the longest side down to the maximum, then the multiples of 16 around that ideal that pass
 * every rule (`brokenRule`, the check `checkSize` itself makes), the closest side by side winning. A suggestion
 * that is itself refused would only send the person round again.
 */
export function suggestSize({ width, height }: Dimensions, rule: ArbitraryRule): Dimensions | undefined {
  if (width <= 0 || height <= 0) return undefined;
  const bounds = boundsOf(rule);
  const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
  const ratio = clamp(width / height, 1 / bounds.maxAspect, bounds.maxAspect);
  const pixels = clamp(width * height, bounds.minPixels, Math.min(bounds.maxPixels, bounds.modelMaxPixels));
  let idealWidth = Math.sqrt(pixels * ratio);
  let idealHeight = Math.sqrt(pixels / ratio);
  const shrink = Math.min(1, bounds.maxEdge / Math.max(idealWidth, idealHeight));
  idealWidth *= shrink;
  idealHeight *= shrink;

  const around = (ideal: number, reach: number) => {
    const below = Math.floor(ideal / bounds.step) * bounds.step;
    const sides: number[] = [];
    for (
      let side = below - reach * bounds.step;
      side <= below + (reach + 1) * bounds.step;
      side += bounds.step
    )
      if (side > 0) sides.push(side);
    return sides;
  };
  const distance = (candidate: Dimensions) =>
    Math.abs(Math.log(candidate.width / idealWidth)) + Math.abs(Math.log(candidate.height / idealHeight));
  // Near the corners of the allowed region (3:1 at the pixel minimum) the nearest multiples can all miss.
  for (const reach of [0, 1, 4]) {
    let best: Dimensions | undefined;
    for (const w of around(idealWidth, reach)) {
      for (const h of around(idealHeight, reach)) {
        const candidate = { width: w, height: h };
        if (brokenRule(candidate, rule) !== undefined) continue;
        if (best === undefined || distance(candidate) < distance(best)) best = candidate;
      }
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

function checkArbitrarySize(dims: Dimensions, size: string, modelName: string, rule: ArbitraryRule): void {
  const broken = brokenRule(dims, rule);
  if (broken === undefined) return;
  const { width, height } = dims;
  const bounds = boundsOf(rule);
  const pixels = width * height;
  const near = suggestSize(dims, rule);
  const suggestion = near === undefined ? undefined : `${near.width}x${near.height}`;
  const details = { size, ...(suggestion === undefined ? {} : { suggestion }) };
  const errors: Record<SizeRuleCode, () => UserError> = {
    size_not_multiple_of_16: () =>
      userError("size_not_multiple_of_16", { size, suggestion, step: bounds.step }, { details }),
    size_too_large: () =>
      userError(
        "size_too_large",
        { size, suggestion, maxEdge: bounds.maxEdge, maxPixels: bounds.maxPixels },
        { details },
      ),
    size_aspect_ratio: () => {
      const ratio = Math.max(width, height) / Math.min(width, height);
      return userError(
        "size_aspect_ratio",
        { size, suggestion, ratio, maxAspect: bounds.maxAspect },
        { details },
      );
    },
    size_pixels_out_of_range: () => {
      const range = {
        pixels,
        model: modelName,
        minPixels: bounds.minPixels,
        maxPixels: bounds.modelMaxPixels,
      };
      return userError(
        "size_pixels_out_of_range",
        { size, suggestion, ...range },
        { details: { ...details, ...range } },
      );
    },
  };
  throw errors[broken]();
}
