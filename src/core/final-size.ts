import { LIMITS } from "./limits.js";
import type { ModelCapabilities } from "./models.js";
import { type Dimensions, sizeRuleBroken } from "./size.js";

/** How far below the ideal (in steps of 16 per side) a nearer aspect may be looked for: at most ~2% per side. */
const REACH = 2;

/** The preset of the same orientation: the three standard sizes are all a preset model takes. */
function presetOfOrientation({ width, height }: Dimensions): string {
  if (width > height) return "1536x1024";
  if (width < height) return "1024x1536";
  return "1024x1024";
}

/**
 * The largest size `model` makes in the aspect of `image`, for Finalize. Arbitrary sizes: the ideal
 * (the model's most pixels at the image's aspect, pulled into 1:3..3:1 and under the longest side), then the
 * multiples of 16 just below it that pass every rule `checkSize` applies; the nearest aspect wins, and of
 * equally near ones the most pixels. Presets: the standard size of the same orientation.
 */
export function largestSizeOfAspect(
  image: Dimensions,
  model: ModelCapabilities,
  /** At most this many pixels (Describe's "Use" buttons: about a standard size's million). */
  maxPixels = Number.POSITIVE_INFINITY,
): string {
  const rule = model.sizes;
  if (rule.kind === "presets" || image.width <= 0 || image.height <= 0) return presetOfOrientation(image);
  const step = LIMITS.sizeStep;
  const maxAspect = LIMITS.maxAspectRatio;
  const ratio = Math.min(maxAspect, Math.max(1 / maxAspect, image.width / image.height));
  const pixels = Math.min(LIMITS.maxPixels, rule.maxPixels, maxPixels);
  const maxEdge = Math.min(LIMITS.maxEdge, rule.maxEdge);
  const shrink = Math.min(1, maxEdge / Math.max(Math.sqrt(pixels * ratio), Math.sqrt(pixels / ratio)));
  const below = (ideal: number) => Math.floor(ideal / step) * step;
  const topWidth = below(Math.sqrt(pixels * ratio) * shrink);
  const topHeight = below(Math.sqrt(pixels / ratio) * shrink);
  let best: (Dimensions & { miss: number }) | undefined;
  for (let width = topWidth; width >= topWidth - REACH * step; width -= step) {
    for (let height = topHeight; height >= topHeight - REACH * step; height -= step) {
      const candidate = { width, height };
      if (sizeRuleBroken(candidate, rule)) continue;
      const miss = Math.abs(Math.log(width / height / ratio));
      const nearer = best === undefined || miss < best.miss - 1e-9;
      const asNearButLarger =
        best !== undefined && Math.abs(miss - best.miss) <= 1e-9 && width * height > best.width * best.height;
      if (nearer || asNearButLarger) best = { ...candidate, miss };
    }
  }
  return best === undefined ? presetOfOrientation(image) : `${best.width}x${best.height}`;
}
