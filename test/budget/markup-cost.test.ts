import { describe, expect, it } from "vitest";
import { reservationFor } from "../../src/budget/job-cost.js";
import { resolveRequest } from "../../src/core/validate-request.js";
import { DEFAULT_PRICES } from "../../src/pricing/prices.js";

const pricing = { prices: DEFAULT_PRICES, responsesModel: "gpt-5.5" };
const request = resolveRequest(
  { prompt: "move the lamp", model: "gpt-image-2.5-flare" },
  { imageCount: 1, hasMask: false, hasMarkup: true },
  { model: "gpt-image-2" },
);
const shape = { request, imageCount: 1, hasMask: false, chained: false };

describe("a markup's price", () => {
  it("is reserved as the mask's is: one more input image the first one's size", () => {
    const plain = reservationFor(shape, pricing);
    const withMarkup = reservationFor({ ...shape, hasMarkup: true }, pricing);
    expect(withMarkup.micro).toBeGreaterThan(plain.micro);
    expect(withMarkup).toEqual(reservationFor({ ...shape, hasMask: true }, pricing));
  });
});
