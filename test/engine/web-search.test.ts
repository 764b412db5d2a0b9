import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_MODELS } from "../../src/core/models.js";
import { createEngine } from "../../src/engine/engine.js";
import { actualCost } from "../../src/pricing/actual.js";
import { estimateCost } from "../../src/pricing/estimate.js";
import { DEFAULT_PRICES } from "../../src/pricing/prices.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { collect, finalOf, imageRequest, modelRequests, openaiConfig } from "./helpers.js";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** One search by the default Responses model, in millionths of a dollar: $10 per 1,000 calls. */
const SEARCH_MICRO = 10_000;

const grounded = imageRequest({
  api: "responses",
  partials: 1,
  search: true,
  prompt: "weather in Lyon tomorrow",
});

describe("a grounded image (search)", () => {
  it("offers web search before the image tool, bounded, and lists the sources it used, cited first, once each, at most 5", async () => {
    const final = finalOf(await collect(createEngine(openaiConfig(fake))(grounded, { images: [] })));
    expect(final.images).toHaveLength(1);

    const sent = modelRequests(fake)[0]?.json as Record<string, unknown>;
    expect(sent).toMatchObject({
      tools: [{ type: "web_search" }, { type: "image_generation", model: "gpt-image-2" }],
      tool_choice: "required",
      include: ["web_search_call.action.sources"],
      max_tool_calls: 4,
    });
    expect(sent.instructions).toMatch(/image_generation tool/);
    expect(final.sentParameters.tools).toEqual(sent.tools);

    const base = "https://example.org/weather-in-lyon-tomorrow";
    expect(final.sources).toEqual([
      { url: `${base}/source-2`, title: "Source two about weather in Lyon tomorrow" },
      { url: "https://news.example.com/weather-in-lyon-tomorrow", title: "News: weather in Lyon tomorrow" },
      { url: `${base}/source-1` },
      { url: `${base}/source-3` },
      { url: `${base}/source-4` },
    ]);

    // The search is billed per call, beside the tokens; the reservation covers every search allowed.
    const cost = actualCost("gpt-image-2", final.usage, DEFAULT_PRICES, { images: 1 });
    expect(cost?.webSearches).toBe(1);
    const without = actualCost(
      "gpt-image-2",
      {
        ...final.usage,
        tool_usage: { ...(final.usage?.tool_usage as object), web_search: { num_requests: 0 } },
      },
      DEFAULT_PRICES,
      { images: 1 },
    );
    expect((cost?.microdollars ?? 0) - (without?.microdollars ?? 0)).toBe(SEARCH_MICRO);
    expect(cost?.webSearchMicro).toBe(SEARCH_MICRO);
    const reserved = estimateCost(grounded, { images: [] }, DEFAULT_PRICES);
    expect(reserved.webSearches).toBe(3);
    expect(reserved.microdollars).toBeGreaterThanOrEqual(cost?.microdollars ?? Number.POSITIVE_INFINITY);
    const plain = estimateCost(
      { ...grounded, search: undefined } as typeof grounded,
      { images: [] },
      DEFAULT_PRICES,
    );
    expect(reserved.microdollars - plain.microdollars).toBeGreaterThan(3 * SEARCH_MICRO);
  });

  it("prices each search at its Responses model's rate: gpt-4o's are $25 per 1,000, reserved as such", async () => {
    const final = finalOf(await collect(createEngine(openaiConfig(fake))(grounded, { images: [] })));
    const by = (responsesModel: string) =>
      actualCost("gpt-image-2", final.usage, DEFAULT_PRICES, { images: 1, responsesModel });
    const searched = (usage: typeof final.usage, searches: number) => ({
      ...usage,
      tool_usage: { ...(usage?.tool_usage as object), web_search: { num_requests: searches } },
    });
    const dearer = actualCost("gpt-image-2", searched(final.usage, 3), DEFAULT_PRICES, {
      images: 1,
      responsesModel: "gpt-4o",
    });
    const none = actualCost("gpt-image-2", searched(final.usage, 0), DEFAULT_PRICES, {
      images: 1,
      responsesModel: "gpt-4o",
    });
    expect(dearer?.webSearchMicro).toBe(25_000);
    expect((dearer?.microdollars ?? 0) - (none?.microdollars ?? 0)).toBe(3 * 25_000);
    expect(by(DEFAULT_MODELS.responses)?.webSearchMicro).toBe(SEARCH_MICRO);
    // The reservation for a gpt-4o search covers every search it may make at gpt-4o's rate.
    const reserved = estimateCost(grounded, { images: [] }, DEFAULT_PRICES, { responsesModel: "gpt-4o" });
    expect(reserved.microdollars).toBeGreaterThanOrEqual(dearer?.microdollars ?? Number.POSITIVE_INFINITY);
    // A text model the table does not know pays the dearer rate, so a reservation is never short.
    expect(by("a-text-model-of-tomorrow")?.webSearchMicro).toBe(25_000);
  });

  it("sends no search without the option", async () => {
    await collect(
      createEngine(openaiConfig(fake))(imageRequest({ api: "responses", partials: 0 }), { images: [] }),
    );
    const sent = modelRequests(fake)[0]?.json as Record<string, unknown>;
    expect(sent.tools).toEqual([expect.objectContaining({ type: "image_generation" })]);
    expect(sent).not.toHaveProperty("include");
    expect(sent).not.toHaveProperty("max_tool_calls");
  });
});
