import type { Response } from "openai/resources/responses/responses";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { resultFromResponse } from "../../src/engine/responses-api.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { collect, finalOf, imageRequest, openaiConfig } from "./helpers.js";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const creates = () => fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/responses");
const resumes = () => fake.requests.filter((r) => r.method === "GET" && r.query.stream === "true");
const streamedText = (events: Awaited<ReturnType<typeof collect>>) =>
  events.map((event) => (event.type === "text" ? event.delta : "")).join("");

describe("a turn the model may answer in words (mayAnswer)", () => {
  it("ends with the answer and no image, streamed as text deltas", async () => {
    const engine = createEngine(openaiConfig(fake));
    const request = imageRequest({ api: "responses", prompt: "what is in the picture?" });
    const events = await collect(engine(request, { images: [] }, { mayAnswer: true }));
    const final = finalOf(events);
    expect(final.images).toEqual([]);
    expect(final.text).toMatch(/^Turn 1 answer: you asked "what is in the picture\?"/);
    expect(streamedText(events)).toBe(final.text);
    expect(events.filter((event) => event.type === "text").length).toBeGreaterThan(3);
    expect(creates()[0]?.json).toMatchObject({
      tool_choice: "auto",
      tools: [expect.objectContaining({ action: "auto" })],
    });
  });

  it("still draws when the message asks for a change", async () => {
    const engine = createEngine(openaiConfig(fake));
    const request = imageRequest({ api: "responses", prompt: "make it night", partials: 0 });
    const final = finalOf(await collect(engine(request, { images: [] }, { mayAnswer: true })));
    expect(final.images).toHaveLength(1);
  });

  it("only there: elsewhere a finished response with words and no image is the no-image failure", () => {
    const answered = {
      id: "resp_1",
      status: "completed",
      output: [
        {
          type: "message",
          id: "msg_1",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "It is a lighthouse.", annotations: [] }],
        },
      ],
    } as unknown as Response;
    const request = imageRequest({ api: "responses" });
    expect(() => resultFromResponse(answered, request, undefined)).toThrow(
      expect.objectContaining({ code: "openai_no_image" }),
    );
    expect(resultFromResponse(answered, request, undefined, "", true)).toMatchObject({
      images: [],
      text: "It is a lighthouse.",
    });
    // An empty answer is no answer: still the no-image failure.
    const empty = { ...answered, output: [] } as unknown as Response;
    expect(() => resultFromResponse(empty, request, undefined, "", true)).toThrow(
      expect.objectContaining({ code: "openai_no_image" }),
    );
  });

  it("is resumed after a cut stream without a second response, the whole answer kept", async () => {
    fake.fail({ type: "stream_cut", afterEvents: 9 });
    const engine = createEngine(openaiConfig(fake));
    const request = imageRequest({ api: "responses", prompt: "which lighthouse is this?" });
    const final = finalOf(await collect(engine(request, { images: [] }, { mayAnswer: true })));
    expect(final.attempts).toBe(2);
    expect(creates()).toHaveLength(1);
    expect(resumes()).toHaveLength(1);
    expect(final.images).toEqual([]);
    expect(final.text).toMatch(/^Turn 1 answer: you asked "which lighthouse is this\?" .*"\.$/);
  });
});

describe("a grounded image (search) in background mode", () => {
  it("is resumed after the stream is cut during the search, its sources and the search's usage kept", async () => {
    fake.fail({ type: "stream_cut", afterEvents: 6 });
    const engine = createEngine(openaiConfig(fake));
    const request = imageRequest({
      api: "responses",
      prompt: "the tallest tower today",
      partials: 1,
      search: true,
    });
    const final = finalOf(await collect(engine(request, { images: [] })));
    expect(final.attempts).toBe(2);
    expect(creates()).toHaveLength(1);
    expect(final.images).toHaveLength(1);
    expect(final.sources).toHaveLength(5);
    expect((final.usage?.tool_usage as { web_search?: unknown } | undefined)?.web_search).toEqual({
      num_requests: 1,
    });
  });
});
