import { describe, expect, it } from "vitest";
import { type Pricing, reservationFor } from "../../src/budget/job-cost.js";
import { DESCRIBE_SHAPE, enhanceShape } from "../../src/core/studio-asks.js";
import { resolveRequest } from "../../src/core/validate-request.js";
import { DEFAULT_PRICES } from "../../src/pricing/prices.js";
import { textCallCeiling, textCallCost } from "../../src/pricing/text-call.js";
import { textTokens } from "../../src/pricing/tokens.js";

const pricing: Pricing = { prices: DEFAULT_PRICES, responsesModel: "gpt-5.5" };
const shapeOf = (enhance: boolean) => ({
  request: resolveRequest(
    { prompt: "a lighthouse at dusk", ...(enhance ? { enhance } : {}) },
    { imageCount: 0, hasMask: false },
    { model: "gpt-image-2" },
  ),
  imageCount: 0,
  hasMask: false,
  chained: false,
});

describe("what Describe and Enhance reserve and cost", () => {
  it("a Describe reserves its text call at most: the image counted high and the whole output cap, no image", () => {
    const ceiling = textCallCeiling(DESCRIBE_SHAPE, "gpt-5.5", DEFAULT_PRICES);
    // gpt-5.5: $5 in and $30 out per million tokens.
    const input = textTokens(DESCRIBE_SHAPE.texts[0]) + 2_500 + 100;
    expect(ceiling.microdollars).toBe(input * 5 + 4_000 * 30);
    expect(reservationFor({ ...shapeOf(false), describe: true }, pricing)).toEqual({
      micro: ceiling.microdollars,
      images: 0,
    });
  });

  it("an Enhance reserves the rewrite's most and an image drawn from the longest rewrite", () => {
    const plain = reservationFor(shapeOf(false), pricing);
    const enhanced = reservationFor(shapeOf(true), pricing);
    const rewrite = textCallCeiling(enhanceShape("a lighthouse at dusk"), "gpt-5.5", DEFAULT_PRICES);
    // The image model reads up to 2,000 more prompt tokens at $5 per million.
    expect(enhanced.micro).toBeGreaterThanOrEqual(plain.micro + rewrite.microdollars + 2_000 * 5);
    expect(enhanced.images).toBe(plain.images);
  });

  it("prices a reported usage at the text model's rates, and nothing without one", () => {
    const cost = textCallCost({ input_tokens: 1_000, output_tokens: 200 }, "gpt-4.1", DEFAULT_PRICES);
    expect(cost?.microdollars).toBe(1_000 * 2 + 200 * 8);
    expect(cost?.textModel).toEqual({ model: "gpt-4.1", inputTokens: 1_000, outputTokens: 200 });
    expect(textCallCost(undefined, "gpt-4.1", DEFAULT_PRICES)).toBeUndefined();
  });
});
