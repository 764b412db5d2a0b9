import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JobResult, JobSpec } from "../../src/core/job-spec.js";
import { newRunId } from "../../src/core/run-id.js";
import { checkOptions, enqueueRun } from "../../src/intake/enqueue-run.js";
import { type ImageRate, imageRateKey } from "../../src/queue/image-rate.js";
import { createImagineQueue, type ImagineQueue } from "../../src/queue/imagine-queue.js";
import { singleQueue } from "../../src/queue/platform-queues.js";
import { positionIfQueuedNow } from "../../src/queue/queue-position.js";
import { createImagineWorker } from "../../src/queue/worker.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { testRedis } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("image-rate");
});
afterAll(() => pipeline.close());

/** What each test starts, closed after it: workers first (they use the connections), then queues. */
const opened: { workers: Worker<JobSpec, JobResult>[]; queues: ImagineQueue[]; connections: Redis[] } = {
  workers: [],
  queues: [],
  connections: [],
};
afterEach(async () => {
  for (const worker of opened.workers.splice(0)) await worker.close();
  for (const queue of opened.queues.splice(0)) {
    await queue.obliterate({ force: true });
    await queue.close();
  }
  for (const connection of opened.connections.splice(0)) connection.disconnect();
  // One window for every queue on the prefix: each test starts with an empty one.
  await pipeline.redis.del(imageRateKey(pipeline.config.queuePrefix));
  pipeline.fake.reset();
});

/**
 * A queue of its own (the pipeline's worker, which has no limit, never sees it) and `count` workers on it, each
 * on its own Redis connection, as separate worker processes would be.
 */
async function limitedQueue(name: string, rate: ImageRate, count: number) {
  const producer = testRedis();
  opened.connections.push(producer);
  const queue = createImagineQueue(producer, pipeline.config.queuePrefix, name);
  opened.queues.push(queue);
  const workers = [];
  for (let index = 0; index < count; index++) {
    const connection = testRedis();
    opened.connections.push(connection);
    const worker = createImagineWorker(pipeline.deps, {
      connection,
      prefix: pipeline.config.queuePrefix,
      concurrency: 2,
      queueName: name,
      imageRate: rate,
    });
    await worker.waitUntilReady();
    opened.workers.push(worker);
    workers.push(worker);
  }
  return { queue, workers };
}

async function enqueue(queue: ImagineQueue, n: number): Promise<string> {
  const request = checkOptions(
    { prompt: `a kite, ${n} times`, n: String(n), partials: "0", quality: "low" },
    { imageCount: 0, hasMask: false },
    { model: pipeline.config.openai.defaultImageModel },
  );
  const runId = newRunId();
  await enqueueRun(singleQueue(queue), pipeline.deps.runs, {
    runId,
    request,
    user: { platform: "discord", id: "123456789012345678" },
    reply: { kind: "terminal" },
  });
  return runId;
}

/** The images of each request the fake OpenAI received, with when it arrived. */
const received = () =>
  pipeline.fake.requests.map((request) => ({
    at: request.receivedAt,
    images: Number((request.json as { n?: number }).n ?? 1),
  }));

describe("OpenAI's images per minute, across workers", () => {
  it("two workers together never start more images than the limit in a window, counting images, not jobs", async () => {
    // 3 images per 3 s: jobs of 2 and 1 images, so counting jobs (BullMQ's limiter alone) would let more through.
    const rate = { max: 3, durationMs: 3_000 };
    const { queue, workers } = await limitedQueue("rate-two-workers", rate, 2);
    const byWorker = workers.map(() => 0);
    workers.forEach((worker, index) => {
      worker.on("completed", () => {
        byWorker[index] = (byWorker[index] ?? 0) + 1;
      });
    });
    const sizes = [2, 1, 2, 1, 2];
    for (const n of sizes) await enqueue(queue, n);

    const counts = await waitFor(
      "every job to finish",
      async () => {
        const now = await queue.getJobCounts("completed", "failed");
        return (now.completed ?? 0) + (now.failed ?? 0) === sizes.length ? now : undefined;
      },
      60_000,
    );
    expect(counts).toEqual({ completed: sizes.length, failed: 0 });
    const requests = received().sort((a, b) => a.at - b.at);
    expect(requests.map((request) => request.images).sort()).toEqual([...sizes].sort());
    expect(byWorker.every((done) => done > 0)).toBe(true);

    // The gate counts an image when its job starts; the request reaches OpenAI a moment later, and on a loaded
    // machine that moment varies by job. The check allows up to a second of it: no 2-second window held more
    // than 3 images. Without the limit all 8 would arrive within a few hundred milliseconds.
    const checked = rate.durationMs - 1_000;
    for (const first of requests) {
      const inWindow = requests.filter((other) => other.at >= first.at && other.at < first.at + checked);
      expect(inWindow.reduce((sum, request) => sum + request.images, 0)).toBeLessThanOrEqual(rate.max);
    }
    // 8 images at 3 per window need three windows: the last starts two windows after the first.
    const span = (requests.at(-1)?.at ?? 0) - (requests[0]?.at ?? 0);
    expect(span).toBeGreaterThanOrEqual(2 * rate.durationMs - 1_000);
  }, 90_000);

  it("jobs held back by the limit still count as waiting: positions stay honest", async () => {
    const { queue } = await limitedQueue("rate-positions", { max: 2, durationMs: 60_000 }, 1);
    await enqueue(queue, 2);
    await waitFor("the first job to reach OpenAI", () => pipeline.fake.requests[0]);
    const held = await enqueue(queue, 1);
    const third = await enqueue(queue, 1);
    // The worker took the second job, found no room for its image and put it back: the queue is rate limited
    // (counted past its 2 jobs) and the job is waiting again.
    await waitFor(
      "the second job to be put back",
      async () => (await queue.getRateLimitTtl(2)) > 0 && (await queue.getJobState(held)) === "waiting",
    );
    expect(await positionIfQueuedNow(singleQueue(queue), "terminal")).toBe(2);
    // Put back at the front (`getWaiting` lists the next to start first), ahead of the job queued after it.
    expect((await queue.getWaiting()).map((job) => job.id)).toEqual([held, third]);
    expect(pipeline.fake.requests).toHaveLength(1);
  }, 60_000);
});
