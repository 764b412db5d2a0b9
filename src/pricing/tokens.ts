import { MODELS, type ModelCapabilities, PRESET_SIZES } from "../core/models.js";
import type { Quality } from "../core/request.js";
import { type Dimensions, parseDimensions } from "../core/size.js";

/**
 * Token counts the API bills, as far as they are published or measured. Everything here errs high: an
 * estimate is reserved from a budget before anything is spent, and must not fall short of the bill.
 */

/** A quality the model renders at (`auto` resolved). */
export type RenderQuality = Exclude<Quality, "auto">;

/**
 * gpt-image-2's output tokens for one image. The formula behind OpenAI's own cost calculator on the image
 * generation guide ("size and quality options"), as extracted on community.openai.com/t/…/1382699 ("Gpt-image-2
 * output pricing calculator"). It reproduces every published figure: 1024x1024 → 196 / 1,756 / 7,024 tokens at
 * low / medium / high (× $30/M = DESIGN's $0.006 / $0.053 / $0.211), 1536x1024 high → 5,488 ($0.165).
 * xhigh and max (2.5 models) have no published figure: 144 and 192 continue the 16/48/96 axis factors and
 * give 2.25× and 4× high, more than any measurement seen (the offline fake bills 1.5× and 2×).
 */
const AXIS_FACTORS: Record<RenderQuality, number> = { low: 16, medium: 48, high: 96, xhigh: 144, max: 192 };

function gptImage2Tokens({ width, height }: Dimensions, quality: RenderQuality): number {
  const factor = AXIS_FACTORS[quality];
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const shortAxis = Math.floor((2 * factor * short + long) / (2 * long));
  return Math.ceil((factor * shortAxis * (2_000_000 + width * height)) / 4_000_000);
}

/**
 * The retired gpt-image-1 line's published table (image generation guide, "cost and latency"): square,
 * portrait, landscape. Kept as the second bound for models whose rule is unpublished (the dearer rule wins).
 * Other sizes scale the square figure by pixel area; xhigh and max scale high like gpt-image-2's axis factors do.
 */
const GPT_IMAGE_1_TABLE: Record<"low" | "medium" | "high", [number, number, number]> = {
  low: [272, 408, 400],
  medium: [1056, 1584, 1568],
  high: [4160, 6240, 6208],
};

function gptImage1Tokens({ width, height }: Dimensions, quality: RenderQuality): number {
  const scale = quality === "xhigh" ? 2.25 : quality === "max" ? 4 : 1;
  const row = GPT_IMAGE_1_TABLE[quality === "xhigh" || quality === "max" ? "high" : quality];
  const size = `${width}x${height}`;
  const exact =
    size === "1024x1024" ? row[0] : size === "1024x1536" ? row[1] : size === "1536x1024" ? row[2] : 0;
  const tokens = exact > 0 ? exact : (row[0] * width * height) / (1024 * 1024);
  return Math.ceil(tokens * scale);
}

/** Which published rule prices a model's images (the table's `tokenRule`); a name outside it is unpublished. */
function ruleOf(model: string): ModelCapabilities["tokenRule"] {
  return MODELS.get(model.trim().toLowerCase())?.tokenRule ?? "unpublished";
}

/** Output tokens of one finished image of `model` at `size` and `quality`. */
export function imageOutputTokens(model: string, size: Dimensions, quality: RenderQuality): number {
  if (ruleOf(model) === "gpt-image-2") return gptImage2Tokens(size, quality);
  return Math.max(gptImage2Tokens(size, quality), gptImage1Tokens(size, quality));
}

/**
 * What a request's `size` may turn into. `auto` lets the model choose; every published description has it pick
 * among the standard sizes, so all three are candidates and the dearest wins (for gpt-image-2 that is
 * 1024x1024, whose near-square shape costs most per the calculator).
 */
export function candidateSizes(size: string): Dimensions[] {
  const exact = parseDimensions(size);
  if (exact) return [exact];
  return PRESET_SIZES.flatMap((preset) => parseDimensions(preset) ?? []);
}

/** What `quality` may render at: `auto` could be any quality the model takes, the dearest counted. */
export function candidateQualities(model: string, quality: Quality): RenderQuality[] {
  if (quality !== "auto") return [quality];
  const accepted = MODELS.get(model.trim().toLowerCase())?.qualities ?? [
    "low",
    "medium",
    "high",
    "xhigh",
    "max",
  ];
  return accepted.filter((value): value is RenderQuality => value !== "auto");
}

/**
 * Each partial image is billed as 100 extra image output tokens: the image generation guide's "partial images"
 * note for gpt-image-1 ("each partial image … additional 100 image output tokens"), tabulated as 1/2/3
 * previews = 100/200/300 tokens on community.openai.com/t/…/1275254. Assumed unchanged for later models.
 */
export const PARTIAL_IMAGE_TOKENS = 100;

/**
 * gpt-image-2 bills an input image in 32 px patches with a budget of 1,536, after magnifying it towards a
 * 1024 px longest side (measured over 100 edits: community.openai.com/t/…/1382940, "OpenAI must document the
 * input image pricing of gpt-image-2"). Magnifying all the way (the measurement saw at most 2×) and capping at
 * the budget errs high. The gpt-image-1 line bills 512 px tiles (85 + 170 per tile after fitting 2048 px and
 * a 768 px shortest side, the vision rule, larger than gpt-image-1's own 65 + 129), and high input fidelity
 * adds up to the largest high-quality output figure, 6,240 (unpublished; an upper bound).
 */
const PATCH = 32;
const PATCH_BUDGET = 1_536;
const HIGH_FIDELITY_EXTRA = 6_240;

function patchTokens({ width, height }: Dimensions): number {
  const magnify = Math.max(1, 1024 / Math.max(width, height));
  const patches = Math.ceil((width * magnify) / PATCH) * Math.ceil((height * magnify) / PATCH);
  return Math.min(PATCH_BUDGET, patches);
}

function tileTokens({ width, height }: Dimensions, highFidelity: boolean): number {
  const fit = Math.min(1, 2048 / Math.max(width, height));
  const shortest = Math.min(width, height) * fit;
  const shrink = fit * Math.min(1, 768 / shortest);
  const tiles = Math.ceil((width * shrink) / 512) * Math.ceil((height * shrink) / 512);
  return 85 + 170 * tiles + (highFidelity ? HIGH_FIDELITY_EXTRA : 0);
}

/** Image input tokens of one input image (or mask) sent to `model`. */
export function inputImageTokens(model: string, image: Dimensions, highFidelity: boolean): number {
  if (ruleOf(model) === "gpt-image-2") return patchTokens(image);
  return Math.max(patchTokens(image), tileTokens(image, highFidelity));
}

/** The largest an input image can bill on `model`, for inputs whose size is unknown (a chained turn's image). */
export function maxInputImageTokens(model: string): number {
  return inputImageTokens(model, { width: 1024, height: 1536 }, true);
}

/**
 * Text tokens of `text`, over-estimated: tiktoken's o200k_base averages about 4 ASCII characters per token
 * (3 counted here), while other scripts and emoji can take a token or more per character (2 counted).
 * Plus the 6 tokens every images request adds (measured, community.openai.com/t/…/1382940).
 */
export function textTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 3) + 2 * other + 6;
}

/**
 * Text output tokens an image model bills per image besides the image. The retired gpt-image-1.5 reported about
 * 200 on every generation ("~200+", community.openai.com/t/…/1369511): 256 counted for models without a
 * published rule. gpt-image-2 reports none (a 960x720 low image bills 130 output tokens, all of them image
 * tokens: community.openai.com/t/…/1381388).
 */
export function imageModelTextOutputTokens(model: string): number {
  return ruleOf(model) === "gpt-image-2" ? 0 : 256;
}
