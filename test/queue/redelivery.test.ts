import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobSpec } from "../../src/queue/job-spec.js";
import { checkOptions } from "../../src/queue/submit.js";
import type { Renderer, RenderResult } from "../../src/render/renderer.js";
import { newRunId } from "../../src/storage/run-id.js";
import { type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";

/** A platform that is down when the first final arrives, and back for the retry. */
class FlakyPlatform implements Renderer {
  static completedCalls = 0;
  static delivered: RenderResult[] = [];
  async queued() {}
  async started() {}
  async partial() {}
  async text() {}
  async completed(result: RenderResult) {
    FlakyPlatform.completedCalls += 1;
    if (FlakyPlatform.completedCalls === 1) throw new Error("503 from the chat platform");
    FlakyPlatform.delivered.push(result);
  }
  async failed() {}
}

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("redelivery", {}, undefined, (registry) =>
    registry.register("flaky", () => new FlakyPlatform()),
  );
});
afterAll(() => pipeline.close());

describe("a final that could not be shown", () => {
  it("is shown again from storage on the retry, without paying OpenAI twice", async () => {
    const runId = newRunId();
    const spec: JobSpec = {
      version: 1,
      runId,
      request: checkOptions(
        { prompt: "a lighthouse", partials: "1" },
        { imageCount: 0, hasMask: false },
        {
          model: "gpt-image-2",
        },
      ),
      inputs: { images: [] },
      user: { platform: "test", id: "someone" },
      reply: { kind: "flaky" },
      queuedAt: new Date().toISOString(),
    };
    const done = settled(pipeline.worker, runId);
    await pipeline.queue.add("imagine", spec, {
      jobId: runId,
      attempts: 2,
      backoff: { type: "fixed", delay: 10 },
    });
    const { result, attemptsMade } = await done;

    expect(attemptsMade).toBe(2);
    expect(pipeline.fake.requests).toHaveLength(1);
    expect(FlakyPlatform.completedCalls).toBe(2);
    const [shown] = FlakyPlatform.delivered;
    expect(shown?.imageKeys).toEqual([`${runId}/final_0.png`]);
    expect(shown?.images[0]?.bytes.equals(await pipeline.deps.runs.blobs.get(`${runId}/final_0.png`))).toBe(
      true,
    );
    expect(result?.finals).toEqual(shown?.imageKeys);
    const metadata = await pipeline.deps.runs.getMetadata(runId);
    expect(metadata.status).toBe("completed");
    expect(metadata.error).toBeUndefined();
  });
});
