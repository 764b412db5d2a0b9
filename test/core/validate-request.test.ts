import { describe, expect, it } from "vitest";
import { REQUEST_ERROR_CODES } from "../../src/core/error-codes.js";
import { UserError } from "../../src/core/errors.js";
import type { ImagineOptions } from "../../src/core/imagine-options.js";
import { ImageRequestSchema } from "../../src/core/request.js";
import { type RequestDefaults, type RequestInputs, resolveRequest } from "../../src/core/validate-request.js";
import { CASES } from "./request-cases.js";

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
    expect(resolve({ background: "transparent" }).background).toBe("transparent");
    expect(resolve({ model: "gpt-image-2.5-flare-2026-09-08", quality: "max" }).quality).toBe("max");
    expect(resolve({ api: "responses", moderation: "low" }, ONE_IMAGE).moderation).toBe("low");
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
    // gpt-image-2.6-sunburst takes neither xhigh nor 1536x864: both yield, webp stays.
    expect(resolve({ model: "gpt-image-2.6-sunburst" }, NO_INPUTS, preferences)).toMatchObject({
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
