import { describe, expect, it } from "vitest";
import { userError } from "../../src/core/errors.js";
import { answerContent } from "../../src/platforms/discord/result-message.js";
import type { RenderResult } from "../../src/render/renderer.js";

const result = (text: string | undefined): RenderResult => ({
  runId: "run-1",
  jobId: "run-1",
  request: {
    prompt: "what is this?",
    model: "gpt-image-2",
    api: "responses",
    size: "auto",
    quality: "auto",
    n: 1,
    format: "png",
    background: "auto",
    moderation: "auto",
    partials: 2,
  },
  images: [],
  imageKeys: [],
  ...(text === undefined ? {} : { text }),
  cost: {
    inputTokens: { text: 0, image: 0 },
    outputTokens: 0,
    outputTokensDetails: { image: 0, text: 0 },
    images: 0,
    dollars: 0.0123,
    microdollars: 12_300,
    source: "usage",
  },
});

describe("a Discord answer in words", () => {
  it("is the answer, then the job and its cost; no model, size or quality", () => {
    expect(answerContent(result("A lighthouse."), "")).toBe("A lighthouse.\nanswer · job `run-1` · $0.01");
  });

  it("falls back to the streamed text, and is clipped to Discord's 2000 characters with its facts whole", () => {
    expect(answerContent(result(undefined), "Streamed words.")).toMatch(/^Streamed words\.\n/);
    const long = answerContent(result("word ".repeat(1000)), "");
    expect(long.length).toBeLessThanOrEqual(2000);
    expect(long).toMatch(/…\nanswer · job `run-1` · \$0\.01$/);
  });
});

describe("an answer the platform refused", () => {
  it("says the answer was written and is kept, not that images were made", () => {
    expect(userError("delivery_failed", { images: 0, runId: "run-1" }).message).toBe(
      "Your answer was written but could not be posted here (the chat platform refused it); it is kept as run `run-1`.",
    );
  });
});
