import type { ImagineOptions } from "../../src/core/imagine-options.js";
import type { RequestInputs } from "../../src/core/validate-request.js";

const NO_INPUTS: RequestInputs = { imageCount: 0, hasMask: false };
const ONE_IMAGE: RequestInputs = { imageCount: 1, hasMask: false };

/**
 * One invalid request per rule of `resolveRequest`: the code it must get, the options and inputs that break
 * the rule, and what the message must say. Shared by the unit tests and the worker's zero-request tests.
 */
export type Case = [code: string, options: Partial<ImagineOptions>, inputs: RequestInputs, message: RegExp];

export const CASES: Case[] = [
  [
    "invalid_option",
    { quality: "ultra" as never },
    NO_INPUTS,
    /Option quality must be one of auto, low, medium, high, xhigh, max \(got "ultra"\)/,
  ],
  ["invalid_option", { n: 2.5 }, NO_INPUTS, /Option n must be a whole number from 1 to 10 \(got 2.5\)/],
  ["prompt_empty", { prompt: "   " }, NO_INPUTS, /The prompt is empty/],
  [
    "prompt_too_long",
    { prompt: "x".repeat(32_001) },
    NO_INPUTS,
    /32,001 characters long; the limit is 32,000/,
  ],
  [
    "unknown_model",
    { model: "gpt-image-9" },
    NO_INPUTS,
    /Unknown model "gpt-image-9"; current models are gpt-image-2/,
  ],
  [
    "model_retired",
    { model: "gpt-image-1" },
    NO_INPUTS,
    /retired on 2026-10-23; use gpt-image-2.5-sunburst or gpt-image-2.5-flare/,
  ],
  ["model_retired", { model: "dall-e-3" }, NO_INPUTS, /retired on 2026-05-12; use a GPT image model/],
  [
    "model_retired",
    { model: "gpt-image-1-mini" },
    NO_INPUTS,
    /^Model gpt-image-1-mini was retired on 2026-12-01; use gpt-image-2.5-flare instead\.$/,
  ],
  ["size_invalid", { size: "huge" }, NO_INPUTS, /Option size must be auto or WIDTHxHEIGHT/],
  ["size_not_multiple_of_16", { size: "1000x1000" }, NO_INPUTS, /multiples of 16/],
  ["size_too_large", { size: "4096x2304" }, NO_INPUTS, /at most 3840/],
  ["size_aspect_ratio", { size: "3072x1008" }, NO_INPUTS, /between 1:3 and 3:1/],
  ["size_pixels_out_of_range", { size: "512x512" }, NO_INPUTS, /655,360 and 8,294,400/],
  [
    "size_not_supported",
    { model: "gpt-image-2.6-flare", size: "1536x864" },
    NO_INPUTS,
    /only takes size auto, 1024x1024/,
  ],
  [
    "size_not_supported",
    { model: "gpt-image-2.6-flare", size: "2048x2048" },
    NO_INPUTS,
    /gpt-image-2.6-flare only takes size/,
  ],
  [
    "quality_not_supported",
    { quality: "xhigh" },
    NO_INPUTS,
    /gpt-image-2 does not take quality xhigh; it takes auto, low, medium or high \(xhigh needs gpt-image-2.5-sunburst or gpt-image-2.5-flare\)/,
  ],
  ["quality_not_supported", { model: "gpt-image-2.6-sunburst", quality: "max" }, NO_INPUTS, /quality max/],
  ["n_out_of_range", { n: 11 }, NO_INPUTS, /Option n must be a whole number from 1 to 10 \(got 11\)/],
  ["n_out_of_range", { n: 0 }, NO_INPUTS, /\(got 0\)/],
  ["partials_out_of_range", { partials: 4 }, NO_INPUTS, /Option partials must be a whole number from 0 to 3/],
  [
    "partials_without_streaming",
    { model: "gpt-image-2.6-flare", format: "gif", partials: 2 },
    NO_INPUTS,
    /GIF output does not stream, so partials must be 0 \(got 2\)/,
  ],
  [
    "partials_without_streaming",
    { model: "gpt-image-2.6-flare", format: "svg", partials: 1 },
    NO_INPUTS,
    /SVG output does not stream/,
  ],
  [
    "compression_out_of_range",
    { format: "jpeg", compression: 101 },
    NO_INPUTS,
    /compression must be a whole number from 0 to 100/,
  ],
  [
    "compression_needs_jpeg_or_webp",
    { compression: 50 },
    NO_INPUTS,
    /compression only applies to jpeg and webp output \(format is png\)/,
  ],
  [
    "compression_needs_jpeg_or_webp",
    { model: "gpt-image-2.6-flare", format: "gif", compression: 50 },
    NO_INPUTS,
    /format is gif/,
  ],
  [
    "compression_needs_jpeg_or_webp",
    { model: "gpt-image-2.6-flare", format: "svg", compression: 50 },
    NO_INPUTS,
    /format is svg/,
  ],
  [
    "transparent_needs_png_or_webp",
    { background: "transparent", format: "jpeg" },
    NO_INPUTS,
    /transparent background needs format png or webp \(format is jpeg\)/,
  ],
  [
    "transparent_not_supported",
    { background: "transparent", model: "gpt-image-2.6-flare" },
    NO_INPUTS,
    /gpt-image-2.6-flare cannot make transparent backgrounds; use gpt-image-2.5-sunburst/,
  ],
  [
    "format_not_supported",
    { format: "gif" },
    NO_INPUTS,
    /gpt-image-2 cannot output gif; gif needs gpt-image-2.6-sunburst or gpt-image-2.6-flare/,
  ],
  ["format_not_supported", { model: "gpt-image-2.5-flare", format: "svg" }, NO_INPUTS, /cannot output svg/],
  [
    "frames_out_of_range",
    { model: "gpt-image-2.6-flare", format: "gif", frames: 17 },
    NO_INPUTS,
    /Option frames must be a whole number from 2 to 16 \(got 17\)/,
  ],
  [
    "frames_out_of_range",
    { model: "gpt-image-2.6-flare", format: "gif", frames: 1 },
    NO_INPUTS,
    /from 2 to 16/,
  ],
  [
    "frame_ms_out_of_range",
    { model: "gpt-image-2.6-flare", format: "gif", frameMs: 0 },
    NO_INPUTS,
    /frame-ms must be a whole number from 1 to 655350 milliseconds/,
  ],
  [
    "frame_ms_out_of_range",
    { model: "gpt-image-2.6-flare", format: "gif", frameMs: 655_351 },
    NO_INPUTS,
    /655350/,
  ],
  [
    "frames_need_gif",
    { frames: 4 },
    NO_INPUTS,
    /frames and frame-ms only apply to gif output \(format is png\)/,
  ],
  ["frames_need_gif", { frameMs: 100, format: "webp" }, NO_INPUTS, /format is webp/],
  [
    "gif_with_mask",
    { model: "gpt-image-2.6-flare", format: "gif" },
    { imageCount: 1, hasMask: true },
    /GIF output cannot use a mask/,
  ],
  [
    "gif_size",
    { model: "gpt-image-2.6-flare", format: "gif", size: "1024x1024" },
    NO_INPUTS,
    /GIF output takes size auto only \(got 1024x1024\)/,
  ],
  [
    "svg_single_image",
    { model: "gpt-image-2.6-flare", format: "svg", n: 2 },
    NO_INPUTS,
    /SVG output makes one image per request: set n to 1 \(got 2\)/,
  ],
  [
    "svg_generate_only",
    { model: "gpt-image-2.6-flare", format: "svg" },
    ONE_IMAGE,
    /SVG output cannot edit images/,
  ],
  ["mask_needs_image", {}, { imageCount: 0, hasMask: true }, /mask .* needs at least one image/],
  [
    "markup_needs_image",
    { model: "gpt-image-2.5-flare" },
    { imageCount: 0, hasMask: false, hasMarkup: true },
    /markup is drawn over the first input image .* needs at least one image/,
  ],
  [
    "markup_with_mask",
    { model: "gpt-image-2.5-flare" },
    { imageCount: 1, hasMask: true, hasMarkup: true },
    /^OpenAI takes a mask or a markup, not both: remove one of them\.$/,
  ],
  [
    "markup_not_supported",
    { model: "gpt-image-2" },
    { imageCount: 1, hasMask: false, hasMarkup: true },
    /^Model gpt-image-2 does not take a markup; markup needs gpt-image-2.5-sunburst or gpt-image-2.5-flare\.$/,
  ],
  [
    "markup_needs_images_api",
    { model: "gpt-image-2.5-flare", api: "responses" },
    { imageCount: 1, hasMask: false, hasMarkup: true },
    /markup works with the Images API only/,
  ],
  [
    "too_many_images",
    {},
    { imageCount: 17, hasMask: false },
    /17 input images; gpt-image-2 takes at most 16/,
  ],
  [
    "fidelity_not_supported",
    { fidelity: "high" },
    ONE_IMAGE,
    /^Model gpt-image-2 does not take fidelity high; no current model takes it, so remove fidelity\.$/,
  ],
  [
    "fidelity_needs_image",
    { fidelity: "high" },
    NO_INPUTS,
    /fidelity only applies when editing input images/,
  ],
  [
    "complexity_not_supported",
    { complexity: "high" },
    NO_INPUTS,
    /gpt-image-2 does not take complexity; complexity needs gpt-image-2.6-sunburst or gpt-image-2.6-flare/,
  ],
  [
    "moderation_not_supported_for_edits",
    { moderation: "low" },
    ONE_IMAGE,
    /Images API does not take moderation when editing images/,
  ],
  [
    "search_needs_responses",
    { search: true, api: "images" },
    NO_INPUTS,
    /Web search runs on the Responses API/,
  ],
  [
    "search_single_image",
    { search: true, api: "responses", n: 2 },
    NO_INPUTS,
    /search grounds one image.*got n 2/,
  ],
  [
    "responses_single_image",
    { api: "responses", n: 2 },
    NO_INPUTS,
    /Responses API makes one image per request.*got n 2/,
  ],
];
