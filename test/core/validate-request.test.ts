import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import type { ImagineOptions } from "../../src/core/imagine-options.js";
import { ImageRequestSchema } from "../../src/core/request.js";
import { type RequestDefaults, type RequestInputs, resolveRequest } from "../../src/core/validate-request.js";
import { REQUEST_ERROR_CODES } from "../../src/core/validation-codes.js";

const DEFAULTS: RequestDefaults = { model: "gpt-image-2" };
const NO_INPUTS: RequestInputs = { imageCount: 0, hasMask: false };
const ONE_IMAGE: RequestInputs = { imageCount: 1, hasMask: false };

function resolve(options: Partial<ImagineOptions>, inputs = NO_INPUTS, defaults = DEFAULTS) {
  return resolveRequest({ prompt: "a lighthouse", ...options }, inputs, defaults);
}

function rejection(options: Partial<ImagineOptions>, inputs = NO_INPUTS, defaults = DEFAULTS): UserError {
  try {
    resolve(options, inputs, defaults);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be rejected`);
}

describe("resolveRequest: defaults", () => {
  it("fills every field for a bare prompt", () => {
    const request = resolve({});
    expect(request).toEqual({
      prompt: "a lighthouse",
      model: "gpt-image-2",
      api: "images",
      size: "auto",
      quality: "auto",
      n: 1,
      format: "png",
      background: "auto",
      moderation: "auto",
      partials: 2,
    });
    expect(ImageRequestSchema.parse(request)).toEqual(request);
  });

  it("streams no partials for gif and svg unless told, and keeps an explicit 0", () => {
    expect(resolve({ model: "gpt-image-2.6-flare", format: "gif" }).partials).toBe(0);
    expect(resolve({ model: "gpt-image-2.6-flare", format: "svg" }).partials).toBe(0);
    expect(resolve({ model: "gpt-image-2.6-flare", format: "gif", partials: 0 }).partials).toBe(0);
    expect(resolve({ partials: 0 }).partials).toBe(0);
    expect(resolve({ partials: 3 }).partials).toBe(3);
  });

  it("carries explicit choices and leaves unsent ones out", () => {
    const request = resolve({
      model: "GPT-Image-2.5-Sunburst",
      size: "1536X864",
      quality: "xhigh",
      n: 3,
      format: "webp",
      compression: 80,
      background: "transparent",
      moderation: "low",
      api: "images",
    });
    expect(request).toMatchObject({
      model: "gpt-image-2.5-sunburst",
      size: "1536x864",
      quality: "xhigh",
      n: 3,
      format: "webp",
      compression: 80,
      background: "transparent",
      moderation: "low",
    });
    expect(request).not.toHaveProperty("fidelity");
    expect(request).not.toHaveProperty("complexity");
    expect(request).not.toHaveProperty("frames");
  });

  it("accepts what each model documents", () => {
    expect(
      resolve({ model: "gpt-image-2.6-sunburst", format: "gif", frames: 12, frameMs: 120 }),
    ).toMatchObject({
      format: "gif",
      frames: 12,
      frameMs: 120,
      partials: 0,
    });
    expect(resolve({ model: "gpt-image-2.6-flare", format: "gif" }, ONE_IMAGE).format).toBe("gif");
    expect(resolve({ model: "gpt-image-2.6-flare", complexity: "high" }).complexity).toBe("high");
    expect(resolve({ model: "gpt-image-1.5", fidelity: "high" }, ONE_IMAGE).fidelity).toBe("high");
    expect(resolve({ model: "gpt-image-1-mini", fidelity: "low" }, ONE_IMAGE).fidelity).toBe("low");
    expect(resolve({ background: "transparent" }).background).toBe("transparent");
    expect(resolve({ model: "gpt-image-2.5-flare-2026-09-08", quality: "max" }).quality).toBe("max");
    expect(resolve({ api: "responses", moderation: "low" }, ONE_IMAGE).moderation).toBe("low");
    expect(resolve({ api: "responses", fidelity: "low", model: "gpt-image-1.5" }).fidelity).toBe("low");
    expect(resolve({}, { imageCount: 16, hasMask: true }).model).toBe("gpt-image-2");
  });

  it("uses per-user defaults that fit, and drops only the ones that clash with explicit options", () => {
    const preferences: RequestDefaults = {
      model: "gpt-image-2.5-flare",
      quality: "xhigh",
      format: "webp",
      size: "1536x864",
    };
    expect(resolve({}, NO_INPUTS, preferences)).toMatchObject({
      model: "gpt-image-2.5-flare",
      quality: "xhigh",
      format: "webp",
      size: "1536x864",
    });
    // gpt-image-2 has no xhigh: the saved quality yields, the rest stays.
    expect(resolve({ model: "gpt-image-2" }, NO_INPUTS, preferences)).toMatchObject({
      quality: "auto",
      format: "webp",
      size: "1536x864",
    });
    // gpt-image-1.5 takes neither xhigh nor 1536x864: both yield, webp stays.
    expect(resolve({ model: "gpt-image-1.5" }, NO_INPUTS, preferences)).toMatchObject({
      quality: "auto",
      size: "auto",
      format: "webp",
    });
    expect(resolve({ n: 2 }, NO_INPUTS, { model: "gpt-image-2", api: "responses" }).api).toBe("images");
    expect(resolve({}, NO_INPUTS, { model: "gpt-image-2", api: "responses" }).api).toBe("responses");
    expect(resolve({}, NO_INPUTS, { model: "gpt-image-2", format: "gif" }).format).toBe("png");
    const gifFan = { model: "gpt-image-2.6-flare", size: "1536x1024" };
    expect(resolve({ format: "gif" }, NO_INPUTS, gifFan)).toMatchObject({ format: "gif", size: "auto" });
    expect(resolve({}, NO_INPUTS, gifFan).size).toBe("1536x1024");
  });

  it("still refuses an explicit choice when defaults are in play", () => {
    const error = rejection({ quality: "xhigh" }, NO_INPUTS, { model: "gpt-image-2", format: "webp" });
    expect(error.code).toBe("quality_not_supported");
  });
});

type Case = [code: string, options: Partial<ImagineOptions>, inputs: RequestInputs, message: RegExp];

const CASES: Case[] = [
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
  ["size_invalid", { size: "huge" }, NO_INPUTS, /Option size must be auto or WIDTHxHEIGHT/],
  ["size_not_multiple_of_16", { size: "1000x1000" }, NO_INPUTS, /multiples of 16/],
  ["size_too_large", { size: "4096x2304" }, NO_INPUTS, /at most 3840/],
  ["size_aspect_ratio", { size: "3072x1008" }, NO_INPUTS, /between 1:3 and 3:1/],
  ["size_pixels_out_of_range", { size: "512x512" }, NO_INPUTS, /655,360 and 8,294,400/],
  [
    "size_not_supported",
    { model: "gpt-image-1-mini", size: "1536x864" },
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
    "too_many_images",
    {},
    { imageCount: 17, hasMask: false },
    /17 input images; gpt-image-2 takes at most 16/,
  ],
  [
    "fidelity_not_supported",
    { fidelity: "high" },
    ONE_IMAGE,
    /gpt-image-2 does not take fidelity high; fidelity is for gpt-image-1.5 \(low, high\) or gpt-image-1-mini \(low\)/,
  ],
  [
    "fidelity_not_supported",
    { model: "gpt-image-1-mini", fidelity: "high" },
    ONE_IMAGE,
    /gpt-image-1-mini does not take fidelity high; it only takes fidelity low/,
  ],
  [
    "fidelity_needs_image",
    { model: "gpt-image-1.5", fidelity: "high" },
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
    "responses_single_image",
    { api: "responses", n: 2 },
    NO_INPUTS,
    /Responses API makes one image per request.*got n 2/,
  ],
];

describe("resolveRequest: one rule per case", () => {
  it.each(CASES)("%s: %j", (code, options, inputs, message) => {
    const error = rejection(options, inputs);
    expect(error.code).toBe(code);
    expect(error.kind).toBe("invalid_input");
    expect(error.message).toMatch(message);
    // One sentence, ending in a full stop, for the person who typed the command.
    expect(error.message).toMatch(/^[A-Z"].*\.$/);
  });

  it("covers every code in REQUEST_ERROR_CODES", () => {
    expect(new Set(CASES.map(([code]) => code))).toEqual(new Set(REQUEST_ERROR_CODES));
  });
});
