import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRequest } from "../../src/actions/studio-runs.js";
import { newRunId } from "../../src/core/run-id.js";
import type { Renderer, RenderResult } from "../../src/render/renderer.js";
import { type Pipeline, runJob, startPipeline } from "../helpers/pipeline.js";

/** A platform that is down when the first answer arrives, and back for the retry. */
class FlakyPlatform implements Renderer {
  static shown: RenderResult[] = [];
  static calls = 0;
  async queued() {}
  async started() {}
  async partial() {}
  async text() {}
  async completed(result: RenderResult) {
    FlakyPlatform.calls += 1;
    if (FlakyPlatform.calls === 1) throw new Error("503 from the chat platform");
    FlakyPlatform.shown.push(result);
  }
  async failed() {}
}

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("describe-retry", {}, undefined, (registry) =>
    registry.register("flaky", () => new FlakyPlatform()),
  );
});
afterAll(() => pipeline.close());

describe("a Describe whose answer could not be shown", () => {
  it("shows the stored prompts again on the retry, asking (and paying) once", async () => {
    const runId = newRunId();
    const bytes = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#dddd22" } })
      .png()
      .toBuffer();
    const key = await pipeline.deps.runs.putInput(runId, "image_0.png", bytes);
    const spec = {
      version: 1 as const,
      runId,
      kind: "describe" as const,
      request: describeRequest({ model: "gpt-image-2" }),
      inputs: { images: [key] },
      user: { platform: "test", id: "describer" },
      reply: { kind: "flaky" },
      queuedAt: new Date().toISOString(),
    };
    const { result, attemptsMade } = await runJob(pipeline, spec, 2);

    expect(attemptsMade).toBe(2);
    expect(result?.finals).toEqual([]);
    expect(pipeline.fake.requests.filter((request) => request.method === "POST")).toHaveLength(1);
    const metadata = await pipeline.deps.runs.getMetadata(runId);
    expect(metadata.status).toBe("completed");
    expect(FlakyPlatform.shown[0]?.described?.prompts).toEqual(metadata.describe?.prompts);
    expect(metadata.describe?.prompts[0]).toContain("a yellow picture, 640x480");
  });
});
