import { describe, expect, it } from "vitest";
import { imagineCommand, parseImagineOptions } from "../../commands/imagine.js";
import { OPTION_ERROR_CODES } from "../../src/core/error-codes.js";
import { UserError } from "../../src/core/errors.js";

function parseError(raw: Record<string, unknown>): UserError {
  try {
    parseImagineOptions(raw);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe("the /imagine definition", () => {
  const names = imagineCommand.options.map((option) => option.name);

  it("has every option the platforms derive flags from, prompt first and required", () => {
    expect(names).toEqual([
      "prompt",
      "model",
      "size",
      "quality",
      "n",
      "format",
      "compression",
      "background",
      "moderation",
      "partials",
      "api",
      "complexity",
      "fidelity",
      "frames",
      "frame-ms",
      "draft",
      "enhance",
      "search",
      "image",
      "mask",
      "markup",
      "private",
    ]);
    expect(imagineCommand.options[0]?.required).toBe(true);
    expect(imagineCommand.options.slice(1).every((option) => !option.required)).toBe(true);
  });

  it("fits Discord's limits: names, 100-character descriptions, 25 choices", () => {
    expect(imagineCommand.description.length).toBeLessThanOrEqual(100);
    for (const option of imagineCommand.options) {
      expect(option.name).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
      expect(option.description.length, option.name).toBeLessThanOrEqual(100);
      expect(option.description.length, option.name).toBeGreaterThan(0);
      expect((option.choices ?? []).length, option.name).toBeLessThanOrEqual(25);
    }
  });

  it("gives integer options their bounds and attachments their counts", () => {
    const byName = new Map(imagineCommand.options.map((option) => [option.name, option]));
    expect(byName.get("n")).toMatchObject({ type: "integer", min: 1, max: 10 });
    expect(byName.get("partials")).toMatchObject({ type: "integer", min: 0, max: 3 });
    expect(byName.get("frames")).toMatchObject({ type: "integer", min: 2, max: 16 });
    expect(byName.get("image")).toMatchObject({ type: "attachment", repeatable: 16 });
    expect(byName.get("mask")).toMatchObject({ type: "attachment" });
    expect(byName.get("mask")?.repeatable).toBeUndefined();
  });
});

describe("parseImagineOptions", () => {
  it("coerces strings from Slack and the CLI and leaves out what was not given", () => {
    const options = parseImagineOptions({
      prompt: "a lighthouse",
      n: "2",
      partials: " 3 ",
      "frame-ms": "150",
      quality: "HIGH",
      size: "1536x864",
      model: "GPT-Image-2",
      mask: null,
    });
    expect(options).toEqual({
      prompt: "a lighthouse",
      n: 2,
      partials: 3,
      frameMs: 150,
      quality: "high",
      size: "1536x864",
      model: "gpt-image-2",
    });
    expect(Object.keys(options)).not.toContain("mask");
  });

  it("takes Discord's typed values and attachments", () => {
    const options = parseImagineOptions({
      prompt: "merge these",
      n: 4,
      image: [
        { url: "https://cdn.example/a.png", name: "a.png", size: 1234, contentType: "image/png" },
        { url: "https://cdn.example/b.jpg", name: "b.jpg", size: 99, contentType: null },
      ],
      mask: "./mask.png",
    });
    expect(options.n).toBe(4);
    expect(options.image).toEqual([
      { source: "https://cdn.example/a.png", name: "a.png", size: 1234, contentType: "image/png" },
      { source: "https://cdn.example/b.jpg", name: "b.jpg", size: 99 },
    ]);
    expect(options.mask).toEqual({ source: "./mask.png" });
  });

  it("keeps the prompt as typed and leaves an unknown model name to validation", () => {
    expect(parseImagineOptions({ prompt: "  spaced  ", model: "dall-e-3" })).toEqual({
      prompt: "  spaced  ",
      model: "dall-e-3",
    });
  });

  it.each([
    [
      "quality",
      "ultra",
      /Option quality must be one of auto, low, medium, high, xhigh, max \(got "ultra"\)\./,
    ],
    ["format", "tiff", /Option format must be one of png, jpeg, webp, gif, svg \(got "tiff"\)/],
    ["background", "clear", /Option background must be one of auto, opaque, transparent/],
    ["moderation", "none", /Option moderation must be one of auto, low/],
    ["api", "chat", /Option api must be one of images, responses/],
    ["complexity", "extreme", /Option complexity must be one of low, medium, high/],
    ["fidelity", "medium", /Option fidelity must be one of low, high/],
    ["n", "abc", /Option n must be a whole number from 1 to 10 \(got "abc"\)\./],
    ["n", "0", /Option n must be a whole number from 1 to 10 \(got 0\)/],
    ["n", "11", /from 1 to 10 \(got 11\)/],
    ["n", 2.5, /from 1 to 10 \(got 2.5\)/],
    ["compression", "101", /Option compression must be a whole number from 0 to 100/],
    ["partials", "4", /Option partials must be a whole number from 0 to 3/],
    ["frames", "1", /Option frames must be a whole number from 2 to 16/],
    ["frame-ms", "0", /Option frame-ms must be a whole number from 1 to 655350 milliseconds/],
    ["size", "big", /Option size must be auto or WIDTHxHEIGHT, e.g. 1536x1024 \(got "big"\)/],
    ["size", "", /Option size must be auto or WIDTHxHEIGHT/],
    ["model", "", /Option model must be a model name/],
    ["image", 42, /Option image must be a file/],
    ["mask", { nope: true }, /Option mask must be a file/],
  ])("rejects %s = %j with a sentence naming the option and what it accepts", (name, value, message) => {
    const error = parseError({ prompt: "x", [name]: value });
    expect(error.code).toBe("invalid_option");
    expect(error.kind).toBe("invalid_input");
    expect(error.message).toMatch(message);
    expect(error.details).toMatchObject({ option: name });
  });

  it("rejects an unknown option, suggesting the nearest name", () => {
    const error = parseError({ prompt: "x", sise: "1024x1024" });
    expect(error.code).toBe("unknown_option");
    expect(error.message).toMatch(/Unknown option "sise".*did you mean size\?/);
    expect(parseError({ prompt: "x", style: "vivid" }).message).toMatch(/options are prompt, model, size/);
  });

  it("requires the prompt", () => {
    const error = parseError({ size: "auto" });
    expect(error.code).toBe("missing_option");
    expect(error.message).toMatch(/Option prompt is required/);
  });

  it("refuses a single-value option given twice and more than 16 images", () => {
    expect(parseError({ prompt: "x", size: ["1024x1024", "auto"] }).message).toMatch(
      /Option size can be given only once/,
    );
    const images = Array.from({ length: 17 }, (_, i) => `${i}.png`);
    const error = parseError({ prompt: "x", image: images });
    expect(error.code).toBe("invalid_option");
    expect(error.message).toMatch(/Option image can be given at most 16 times \(got 17\)/);
    expect(parseImagineOptions({ prompt: "x", image: images.slice(0, 16) }).image).toHaveLength(16);
  });

  it("uses only codes from OPTION_ERROR_CODES", () => {
    const codes = new Set([
      parseError({ prompt: "x", n: "0" }).code,
      parseError({ prompt: "x", bogus: 1 }).code,
      parseError({}).code,
    ]);
    expect([...codes].sort()).toEqual([...OPTION_ERROR_CODES].sort());
  });
});
