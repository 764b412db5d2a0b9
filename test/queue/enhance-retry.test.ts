import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userError } from "../../src/core/errors.js";
import type { ImageEngine } from "../../src/engine/events.js";
import { lighthouseJob, type Pipeline, runJob, startPipeline } from "../helpers/pipeline.js";

let pipeline: Pipeline;
let engine: ImageEngine;
beforeAll(async () => {
  pipeline = await startPipeline("enhance-retry");
  engine = pipeline.deps.engine;
});
afterAll(() => pipeline.close());

const posts = (path: string) =>
  pipeline.fake.requests.filter((request) => request.method === "POST" && request.path === path);

describe("an enhanced job retried after its rewrite was paid for", () => {
  it("draws from the stored rewrite instead of asking for another", async () => {
    // The worker goes down once, after the rewrite and before the image is asked for (a crash, not a refusal:
    // BullMQ retries the job).
    let down = true;
    pipeline.deps.engine = (request, inputs, options) => {
      if (!down) return engine(request, inputs, options);
      down = false;
      throw new Error("the worker lost its connection");
    };
    const base = lighthouseJob({ prompt: "a lighthouse in fog" });
    const spec = { ...base, request: { ...base.request, enhance: true as const } };
    const { result, attemptsMade } = await runJob(pipeline, spec, 2);
    pipeline.deps.engine = engine;

    expect(attemptsMade).toBe(2);
    expect(result?.finals).toHaveLength(1);
    expect(posts("/v1/responses")).toHaveLength(1);
    const metadata = await pipeline.deps.runs.getMetadata(spec.runId);
    expect(metadata.enhance?.originalPrompt).toBe("a lighthouse in fog");
    const drawn = posts("/v1/images/generations").map(
      (request) => (request.json as { prompt: string }).prompt,
    );
    expect(drawn).toEqual([metadata.enhance?.prompt]);
    // The rewrite is counted once, in the run's cost.
    expect(metadata.cost?.microdollars).toBeGreaterThan(metadata.enhance?.cost.microdollars ?? 0);
  });

  it("counts the paid rewrite in the budget when the image is then refused, instead of giving it all back", async () => {
    // OpenAI refuses the image after the rewrite was made (and billed): the job fails for good.
    pipeline.deps.engine = () => {
      throw userError("moderation_blocked_input");
    };
    const base = lighthouseJob({
      prompt: "a lighthouse in a storm",
      user: { platform: "test", id: "rewriter" },
    });
    const spec = { ...base, request: { ...base.request, enhance: true as const } };
    const scope = { kind: "user" as const, id: "test:rewriter" };
    await pipeline.deps.budget?.reserve(spec.runId, spec.user, { micro: 500_000, images: 1 });
    try {
      const { error } = await runJob(pipeline, spec, 2);
      expect(error?.message).toMatch(/^moderation_blocked_input: /);
    } finally {
      pipeline.deps.engine = engine;
    }
    const metadata = await pipeline.deps.runs.getMetadata(spec.runId);
    const rewrite = metadata.enhance?.cost.microdollars ?? 0;
    expect(rewrite).toBeGreaterThan(0);
    expect(await pipeline.deps.budget?.spent(scope, "day")).toEqual({ micro: rewrite, images: 0 });
  });
});
