import { describe, expect, it } from "vitest";
import { resolveRequest } from "../../src/core/validate-request.js";

const NO_INPUTS = { imageCount: 0, hasMask: false };

describe("search in a request", () => {
  it("picks the Responses API over a saved or built-in default, and is kept on the request", () => {
    for (const api of [undefined, "images"] as const) {
      const request = resolveRequest({ prompt: "the news", search: true }, NO_INPUTS, {
        model: "gpt-image-2",
        ...(api ? { api } : {}),
      });
      expect(request).toMatchObject({ api: "responses", search: true, n: 1 });
    }
  });

  it("is absent unless asked for", () => {
    expect(resolveRequest({ prompt: "a cat" }, NO_INPUTS, { model: "gpt-image-2" })).not.toHaveProperty(
      "search",
    );
  });

  it("refuses a typed api images or n > 1 with one sentence each", () => {
    const defaults = { model: "gpt-image-2" };
    expect(() => resolveRequest({ prompt: "x", search: true, api: "images" }, NO_INPUTS, defaults)).toThrow(
      expect.objectContaining({ code: "search_needs_responses" }),
    );
    expect(() => resolveRequest({ prompt: "x", search: true, n: 3 }, NO_INPUTS, defaults)).toThrow(
      expect.objectContaining({ code: "search_single_image" }),
    );
  });
});
