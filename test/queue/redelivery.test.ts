import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createImagineQueue, type ImagineQueue } from "../../src/queue/imagine-queue.js";
import type { JobResult, JobSpec } from "../../src/queue/job-spec.js";
import type { JobRunnerDeps } from "../../src/queue/run-job.js";
import { createRunnerDeps } from "../../src/queue/runner-deps.js";
import { checkOptions } from "../../src/queue/submit.js";
import { createImagineWorker } from "../../src/queue/worker.js";
import { RendererRegistry } from "../../src/render/registry.js";
import type { Renderer, RenderResult } from "../../src/render/renderer.js";
import { newRunId } from "../../src/storage/run-id.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { settled } from "../helpers/pipeline.js";
import { deleteKeys, TEST_REDIS_URL, testRedis, uniquePrefix } from "../helpers/redis.js";

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

let fake: FakeOpenAI;
let redis: Redis;
let queue: ImagineQueue;
let worker: Worker<JobSpec, JobResult>;
let deps: JobRunnerDeps;
let storageDir: string;
const prefix = uniquePrefix("redelivery");

beforeAll(async () => {
  fake = await startFakeOpenAI();
  storageDir = await mkdtemp(join(tmpdir(), "imagine-redelivery-"));
  const config = loadConfig({
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: fake.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    STORAGE_DIR: storageDir,
  });
  redis = testRedis();
  const registry = new RendererRegistry().register("flaky", () => new FlakyPlatform());
  deps = createRunnerDeps(config, redis, registry, createLogger("silent"));
  queue = createImagineQueue(redis, prefix);
  worker = createImagineWorker(deps, { connection: redis, prefix, concurrency: 1 });
});
afterAll(async () => {
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
  await fake.close();
  await rm(storageDir, { recursive: true, force: true });
});

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
    const done = settled(worker, runId);
    await queue.add("imagine", spec, { jobId: runId, attempts: 2, backoff: { type: "fixed", delay: 10 } });
    const { result, attemptsMade } = await done;

    expect(attemptsMade).toBe(2);
    expect(fake.requests).toHaveLength(1);
    expect(FlakyPlatform.completedCalls).toBe(2);
    const [shown] = FlakyPlatform.delivered;
    expect(shown?.imageKeys).toEqual([`${runId}/final_0.png`]);
    expect(shown?.images[0]?.bytes.equals(await deps.runs.blobs.get(`${runId}/final_0.png`))).toBe(true);
    expect(result?.finals).toEqual(shown?.imageKeys);
    const metadata = await deps.runs.getMetadata(runId);
    expect(metadata.status).toBe("completed");
    expect(metadata.error).toBeUndefined();
  });
});
