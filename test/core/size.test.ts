import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { getModel, MODELS } from "../../src/core/models.js";
import { checkSize, isSizeLike, parseDimensions } from "../../src/core/size.js";

const gptImage2 = getModel("gpt-image-2");
const presetsOnly = getModel("gpt-image-2.6-sunburst");

function sizeError(size: string, model = gptImage2): UserError {
  try {
    checkSize(size, model);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`expected ${size} to be rejected`);
}

describe("sizes", () => {
  it("reads WxH with x, X or ×, and auto", () => {
    expect(parseDimensions("1536x864")).toEqual({ width: 1536, height: 864 });
    expect(parseDimensions(" 1536 X 864 ")).toEqual({ width: 1536, height: 864 });
    expect(parseDimensions("1536×864")).toEqual({ width: 1536, height: 864 });
    expect(parseDimensions("1536x")).toBeUndefined();
    expect(isSizeLike("AUTO")).toBe(true);
    expect(isSizeLike("large")).toBe(false);
  });

  it.each(["auto", "1024x1024", "1536x864", "3840x2160", "2160x3840", "1024x640", "2048x2048", "3840x1280"])(
    "accepts %s on an arbitrary-size model",
    (size) => {
      expect(checkSize(size, gptImage2)).toBe(size);
    },
  );

  it("normalises what it accepts", () => {
    expect(checkSize("1536X864", gptImage2)).toBe("1536x864");
    expect(checkSize("Auto", presetsOnly)).toBe("auto");
    expect(checkSize("1536×1024", presetsOnly)).toBe("1536x1024");
  });

  it.each([
    ["big", "size_invalid", /Option size must be auto or WIDTHxHEIGHT/],
    ["0x1024", "size_invalid", /WIDTHxHEIGHT/],
    [
      "1000x1000",
      "size_not_multiple_of_16",
      /1000x1000: width and height must both be multiples of 16 \(try 1008x1008\)/,
    ],
    [
      "4096x2048",
      "size_too_large",
      /4096x2048 is too large: the longest side may be at most 3840 and the image at most 3840x2160 \(8,294,400 pixels\)/,
    ],
    ["3200x3200", "size_too_large", /3840x2160/],
    ["3072x1008", "size_aspect_ratio", /aspect ratio of 3.05:1; it must be between 1:3 and 3:1/],
    ["496x1536", "size_aspect_ratio", /between 1:3 and 3:1/],
    [
      "512x512",
      "size_pixels_out_of_range",
      /512x512 has 262,144 pixels; gpt-image-2 needs between 655,360 and 8,294,400/,
    ],
  ])("rejects %s with %s", (size, code, message) => {
    const error = sizeError(size);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("offers only the presets on models without arbitrary sizes, and says which models have them", () => {
    const error = sizeError("1536x864", presetsOnly);
    expect(error.code).toBe("size_not_supported");
    expect(error.message).toBe(
      "Model gpt-image-2.6-sunburst only takes size auto, 1024x1024, 1536x1024 or 1024x1536 (got 1536x864); custom sizes need gpt-image-2, gpt-image-2.5-sunburst or gpt-image-2.5-flare.",
    );
  });
});

describe("suggested sizes", () => {
  const arbitrary = [...MODELS.values()].filter((model) => model.sizes.kind === "arbitrary");
  /** Edges of every rule (16, 3:1, 3840, the pixel bounds) and an even spread between them. */
  const sides = [
    ...[1, 8, 15, 16, 17, 100, 400, 467, 480, 512, 800, 809, 810, 816, 1000, 1024, 1152, 1280, 1402, 1536],
    ...[2160, 2880, 2881, 3456, 3472, 3839, 3840, 3841, 4000, 4096, 6000, 99_999],
    ...Array.from({ length: 90 }, (_, i) => 37 + i * 67),
  ];

  it.each(arbitrary.map((model) => model.name))(
    "on %s, every size refused for its numbers comes with a suggestion that is itself accepted",
    (name) => {
      const model = getModel(name);
      let suggested = 0;
      for (const width of sides) {
        for (const height of sides) {
          const size = `${width}x${height}`;
          let error: UserError;
          try {
            checkSize(size, model);
            continue;
          } catch (caught) {
            error = caught as UserError;
          }
          const suggestion = /\(try (\d+x\d+)\)/.exec(error.message)?.[1];
          expect(suggestion, `${size}: ${error.message}`).toBeDefined();
          expect(error.details.suggestion).toBe(suggestion);
          expect(checkSize(suggestion ?? "", model), `${size} → ${suggestion}`).toBe(suggestion);
          suggested += 1;
        }
      }
      expect(suggested).toBeGreaterThan(sides.length);
    },
  );

  it.each([
    ["4000x1000", "3456x1152"],
    ["4096x2048", "3840x1920"],
    ["3200x3200", "2880x2880"],
    ["1000x1000", "1008x1008"],
    ["512x512", "816x816"],
  ])("suggests for %s the nearest size the model takes, %s", (size, suggestion) => {
    expect(sizeError(size).message).toContain(`(try ${suggestion})`);
    expect(checkSize(suggestion, gptImage2)).toBe(suggestion);
  });
});
