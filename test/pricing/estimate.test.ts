import { describe, expect, it } from "vitest";
import { estimateCost } from "../../src/pricing/estimate.js";
import { DEFAULT_PRICES, withOverrides } from "../../src/pricing/prices.js";
import { NO_INPUTS, request } from "./requests.js";

const estimate = (
  overrides: Parameters<typeof request>[0] = {},
  inputs: Parameters<typeof estimateCost>[1] = NO_INPUTS,
) => estimateCost(request(overrides), inputs, DEFAULT_PRICES);

describe("estimateCost", () => {
  it.each([
    ["low", 0.006],
    ["medium", 0.053],
    ["high", 0.211],
  ] as const)("prices a 1024x1024 %s gpt-image-2 image as DESIGN.md does ($%s)", (quality, dollars) => {
    const cost = estimate({ quality });
    expect(cost.dollars).toBeCloseTo(dollars, 3);
    expect(cost.images).toBe(1);
    expect(cost.outputTokensDetails.text).toBe(0);
    expect(cost.outputTokens).toBe({ low: 196, medium: 1_756, high: 7_024 }[quality]);
  });

  it("rounds dollars up to whole microdollars", () => {
    const cost = estimate();
    expect(Number.isInteger(cost.microdollars)).toBe(true);
    expect(cost.microdollars).toBeGreaterThanOrEqual(cost.dollars * 1_000_000);
    expect(cost.microdollars - cost.dollars * 1_000_000).toBeLessThan(1);
    // 7,024 output tokens × $30/M is exactly 210,720 µ$; the prompt adds text input at $5/M.
    expect(cost.microdollars).toBe(210_720 + 5 * cost.inputTokens.text);
  });

  it("scales with n and adds 100 output tokens per partial image", () => {
    const one = estimate();
    const three = estimate({ n: 3 });
    expect(three.outputTokens).toBe(3 * one.outputTokens);
    expect(three.images).toBe(3);
    const partials = estimate({ n: 2, partials: 3 });
    expect(partials.outputTokens).toBe(2 * (one.outputTokens + 300));
    // GIFs do not stream, so partials cost nothing there.
    expect(estimate({ format: "gif", frames: 2, partials: 3 }).outputTokens).toBe(2 * one.outputTokens);
  });

  it("reproduces other published gpt-image-2 figures", () => {
    expect(estimate({ size: "1536x1024" }).outputTokens).toBe(5_488);
    expect(estimate({ size: "1024x1536" }).outputTokens).toBe(5_488);
    expect(estimate({ size: "960x720", quality: "low" }).outputTokens).toBe(130);
    expect(estimate({ size: "976x704", quality: "low" }).outputTokens).toBe(129);
  });

  it("costs more for larger images of the same shape", () => {
    // Across shapes the calculator is not monotonic: 3840x2160 low (371 tokens) costs less than 2048x2048 low
    // (396), as 1536x1024 costs less than 1024x1024; the published figures say so, and so does the estimate.
    const shapes = [
      ["1024x1024", "1536x1536", "2048x2048", "2880x2880"],
      ["1280x720", "1920x1088", "2560x1440", "3840x2160"],
      ["768x1536", "1024x2048", "1536x3072"],
    ];
    for (const sizes of shapes) {
      for (const quality of ["low", "medium", "high"] as const) {
        const costs = sizes.map((size) => estimate({ size, quality }).microdollars);
        expect(costs, `${quality} ${sizes.join(" ")}`).toEqual([...costs].sort((a, b) => a - b));
        expect(new Set(costs).size).toBe(costs.length);
      }
    }
  });

  it("never estimates auto below high, nor auto size below any standard size", () => {
    for (const model of [
      "gpt-image-2",
      "gpt-image-2.5-flare",
      "gpt-image-2.6-sunburst",
      "gpt-image-2.6-flare",
    ]) {
      for (const size of ["1024x1024", "1536x1024", "1024x1536"]) {
        const high = estimate({ model, size }).microdollars;
        expect(
          estimate({ model, size, quality: "auto" }).microdollars,
          `${model} ${size}`,
        ).toBeGreaterThanOrEqual(high);
        expect(estimate({ model, size: "auto" }).microdollars, `${model} ${size}`).toBeGreaterThanOrEqual(
          high,
        );
      }
    }
    // On the 2.5 models auto may mean max, the dearest quality.
    expect(estimate({ model: "gpt-image-2.5-flare", quality: "auto" }).microdollars).toBe(
      estimate({ model: "gpt-image-2.5-flare", quality: "max" }).microdollars,
    );
    expect(estimate({ model: "gpt-image-2.5-flare", quality: "xhigh" }).microdollars).toBeGreaterThan(
      estimate({ model: "gpt-image-2.5-flare" }).microdollars,
    );
  });

  it("prices a model without a published rule by the dearer rule, and counts text output for it", () => {
    // gpt-image-2's calculator gives 5,488 and 196; the retired gpt-image-1 table 6,240 and 272.
    const cost = estimate({ model: "gpt-image-2.6-sunburst", size: "1024x1536" });
    expect(cost.outputTokensDetails).toEqual({ image: 6_240, text: 256 });
    expect(estimate({ model: "gpt-image-2.6-flare", quality: "low" }).outputTokensDetails.image).toBe(272);
    expect(estimate({ model: "gpt-image-2", size: "1024x1536" }).outputTokensDetails).toEqual({
      image: 5_488,
      text: 0,
    });
  });

  it("counts input images, the mask and the prompt as input tokens", () => {
    const plain = estimate();
    const edit = estimate(
      {},
      {
        images: [
          { width: 1024, height: 1024 },
          { width: 4000, height: 3000 },
        ],
      },
    );
    // 1024x1024 is 32×32 patches; any larger image is capped at the 1,536-patch budget.
    expect(edit.inputTokens.image).toBe(1_024 + 1_536);
    expect(edit.inputTokens.text).toBeGreaterThan(plain.inputTokens.text);
    const masked = estimate({}, { images: [{ width: 1024, height: 1024 }], mask: true });
    expect(masked.inputTokens.image).toBe(2 * 1_024);
    expect(edit.microdollars - plain.microdollars).toBeGreaterThanOrEqual(8 * (1_024 + 1_536));
    const longer = estimate({ prompt: "x".repeat(3_000) });
    expect(longer.inputTokens.text).toBeGreaterThanOrEqual(1_000);
    expect(estimate({ prompt: "雪の中で眠る赤い狐" }).inputTokens.text).toBeGreaterThanOrEqual(9);
  });

  it("adds the Responses model's own tokens at its prices", () => {
    const images = estimate();
    const responses = estimateCost(request({ api: "responses" }), NO_INPUTS, DEFAULT_PRICES, {
      responsesModel: "gpt-5.5",
    });
    expect(responses.textModel).toMatchObject({ model: "gpt-5.5" });
    expect(responses.microdollars).toBeGreaterThan(images.microdollars);
    const chained = estimateCost(
      request({ api: "responses" }),
      { images: [], chained: true },
      DEFAULT_PRICES,
    );
    expect(chained.microdollars).toBeGreaterThan(responses.microdollars);
  });

  it("applies overridden prices", () => {
    const { table } = withOverrides({ "gpt-image-2": { imageOutput: 15, textInput: 0 } });
    const cost = estimateCost(request(), NO_INPUTS, table);
    expect(cost.microdollars).toBe(7_024 * 15);
  });
});
