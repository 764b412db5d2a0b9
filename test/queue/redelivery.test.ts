import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserError } from "../../src/core/errors.js";
import { newRunId } from "../../src/core/run-id.js";
import type { Renderer, RenderResult } from "../../src/render/renderer.js";
import { runningMetadata } from "../../src/runner/stored-result.js";
import { lighthouseJob, type Pipeline, runJob, settled, startPipeline } from "../helpers/pipeline.js";

/** A platform that is down when the first final arrives, and back for the retry. */
class FlakyPlatform implements Renderer {
  static completedCalls = 0;
  static delivered: RenderResult[] = [];
  /** Runs as each delivery starts: what the test checks while the result is being shown. */
  static onCompleted = async () => {};
  async queued() {}
  async started() {}
  async partial() {}
  async text() {}
  async completed(result: RenderResult) {
    await FlakyPlatform.onCompleted();
    FlakyPlatform.completedCalls += 1;
    if (FlakyPlatform.completedCalls === 1) throw new Error("503 from the chat platform");
    FlakyPlatform.delivered.push(result);
  }
  async failed() {}
}

/** A platform that refuses every upload (413) but still takes a text-only edit. */
class RefusingPlatform implements Renderer {
  static events: string[] = [];
  static failures: UserError[] = [];
  async queued() {}
  async started() {
    RefusingPlatform.events.push("started");
  }
  async partial() {}
  async text() {}
  async completed() {
    RefusingPlatform.events.push("completed");
    throw new Error("413 Request entity too large");
  }
  async failed(error: UserError) {
    RefusingPlatform.events.push("failed");
    RefusingPlatform.failures.push(error);
  }
}

const solidPng = () =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: "teal" } })
    .png()
    .toBuffer();

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("redelivery", {}, undefined, (registry) =>
    registry.register("flaky", () => new FlakyPlatform()).register("refusing", () => new RefusingPlatform()),
  );
});
afterAll(() => pipeline.close());

const lighthouseSpec = (kind: string) => lighthouseJob({ replyKind: kind });

describe("a final that could not be shown", () => {
  it("is shown again from storage on the retry, without paying OpenAI twice", async () => {
    const runId = newRunId();
    const person = { platform: "test", id: "redelivered" };
    const { limits, budget } = pipeline.deps;
    if (limits === undefined || budget === undefined) throw new Error("the pipeline has no limits");
    await limits.acquire(person, runId);
    await budget.reserve(runId, person, { micro: 1_000_000, images: 1 });
    // The person's slot is free before the result is shown, and stays free on the retry.
    const slotsAtDelivery: string[][] = [];
    FlakyPlatform.onCompleted = async () => {
      slotsAtDelivery.push(await limits.activeJobs(person));
    };
    const spec = lighthouseJob({ runId, user: person, replyKind: "flaky" });
    const { result, attemptsMade } = await runJob(pipeline, spec, 2);

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
    expect(slotsAtDelivery).toEqual([[], []]);
    // Settled once, to the real cost, however often the result was delivered.
    const spent = await budget.spent({ kind: "user", id: "test:redelivered" }, "day");
    expect(spent).toEqual({ micro: metadata.cost?.microdollars, images: 1 });
    expect(metadata.cost?.source).toBe("usage");
  });

  it("tells the person when the images cannot be delivered on the last attempt, and keeps them", async () => {
    RefusingPlatform.events = [];
    RefusingPlatform.failures = [];
    pipeline.fake.reset();
    const spec = lighthouseSpec("refusing");
    const { error, attemptsMade } = await runJob(pipeline, spec, 2);

    expect(error).toBeDefined();
    expect(attemptsMade).toBe(2);
    // Made once, offered twice (the retry re-delivers from storage), then a text-only answer.
    expect(pipeline.fake.requests.filter((request) => request.method === "POST")).toHaveLength(1);
    expect(RefusingPlatform.events).toEqual(["started", "completed", "completed", "failed"]);
    expect(RefusingPlatform.failures[0]?.code).toBe("delivery_failed");
    expect(RefusingPlatform.failures[0]?.message).toMatch(/made but could not be (posted|delivered)/);
    const metadata = await pipeline.deps.runs.getMetadata(spec.runId);
    expect(metadata.status).toBe("delivery_failed");
    expect(metadata.error?.code).toBe("delivery_failed");
    expect(metadata.finals).toEqual([`${spec.runId}/final_0.png`]);
    expect((await pipeline.deps.runs.blobs.get(`${spec.runId}/final_0.png`)).length).toBeGreaterThan(0);
  });

  it("answers at once when a single-attempt job cannot be delivered", async () => {
    RefusingPlatform.events = [];
    RefusingPlatform.failures = [];
    const spec = lighthouseSpec("refusing");
    await runJob(pipeline, spec, 1);
    expect(RefusingPlatform.events).toEqual(["started", "completed", "failed"]);
    expect((await pipeline.deps.runs.getMetadata(spec.runId)).status).toBe("delivery_failed");
  });

  it("is shown from storage when a worker picks the job up after the one that made it died", async () => {
    pipeline.fake.reset();
    const spec = lighthouseSpec("terminal");
    // What the dead worker left: the paid final and the metadata that lists it, written before delivery.
    const { runs } = pipeline.deps;
    const finalKey = await runs.putFinal(spec.runId, 0, { bytes: await solidPng(), format: "png" });
    const made = { ...runningMetadata(spec, spec.runId, new Date()), finals: [finalKey] };
    await runs.putMetadata({ ...made, status: "completed" });
    // BullMQ counts the stall in the job's hash (`stc`) when it puts the job back: done here by hand, with
    // the queue paused so that no worker takes the job before.
    const done = settled(pipeline.worker, spec.runId);
    await pipeline.queue.pause();
    try {
      await pipeline.queue.add("imagine", spec, { jobId: spec.runId, attempts: 1 });
      await pipeline.redis.hset(pipeline.queue.toKey(spec.runId), "stc", 1);
    } finally {
      await pipeline.queue.resume();
    }
    const { result, error } = await done;

    expect(error).toBeUndefined();
    expect(result?.finals).toEqual([finalKey]);
    expect(pipeline.fake.requests).toHaveLength(0);
  });
});
