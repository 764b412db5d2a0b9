import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobSpec } from "../../src/core/job-spec.js";
import { createLogger } from "../../src/logger.js";
import { createImagineQueue, type ImagineQueue } from "../../src/queue/imagine-queue.js";
import { moveLegacyJobs, sweepLegacyQueue } from "../../src/queue/legacy-queue.js";
import { findJob, LEGACY_QUEUE, PlatformQueues, queueNameFor } from "../../src/queue/platform-queues.js";
import { startPlatformWorkers } from "../../src/queue/platform-workers.js";
import { RendererRegistry } from "../../src/render/registry.js";
import { TerminalRenderer } from "../../src/render/terminal-renderer.js";
import { createRunnerDeps } from "../../src/runner/runner-deps.js";
import { CapturedOutput, lighthouseJob, type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { testRedis } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";

/**
 * The upgrade from the one shared queue of earlier versions: what waits in it is moved to each job's platform
 * queue once, however many workers start together, and runs there; a job an old worker was running stays
 * with it, and is moved only once that worker is gone (its lock lapsed).
 */
let pipeline: Pipeline;
let legacy: ImagineQueue;
let queues: PlatformQueues;
const connections: Redis[] = [];
const connection = () => {
  const redis = testRedis();
  connections.push(redis);
  return redis;
};
beforeAll(async () => {
  pipeline = await startPipeline("legacy-queue");
  legacy = createImagineQueue(pipeline.redis, pipeline.config.queuePrefix, LEGACY_QUEUE);
  queues = new PlatformQueues(pipeline.redis, pipeline.config.queuePrefix);
});
afterAll(async () => {
  for (const queue of queues.all) await queue.obliterate({ force: true });
  await queues.close();
  await legacy.close();
  for (const redis of connections) redis.disconnect();
  await pipeline.close();
});

const logger = createLogger("silent");
const prefix = () => pipeline.config.queuePrefix;
const add = (spec: JobSpec, opts = {}) => legacy.add("imagine", spec, { jobId: spec.runId, ...opts });

describe("jobs left in the old shared queue at an upgrade", () => {
  it("are moved to their platform's queue once, with their attempts and due time, and run there", async () => {
    // A worker of the old version: it takes jobs by hand, fails one attempt of the first (due again in a while)
    // and dies holding the second (its lock lapses after a second).
    const oldWorker = new Worker(LEGACY_QUEUE, null, {
      connection: connection(),
      prefix: prefix(),
      lockDuration: 1_000,
    });
    const retried = lighthouseJob({ replyKind: "discord" });
    await add(retried, { attempts: 2, backoff: { type: "fixed", delay: 3_000 } });
    const first = await oldWorker.getNextJob("old-worker:1");
    await first?.moveToFailed(new Error("the old worker failed this attempt"), "old-worker:1");
    expect(await legacy.getJobState(retried.runId)).toBe("delayed");
    const running = lighthouseJob({ replyKind: "slack" });
    await add(running);
    expect((await oldWorker.getNextJob("old-worker:2"))?.id).toBe(running.runId);
    const waiting = [lighthouseJob({ replyKind: "discord" }), lighthouseJob({ replyKind: "slack" })];
    for (const spec of waiting) await add(spec);
    const urgent = lighthouseJob({ replyKind: "web" });
    await add(urgent, { priority: 5 });

    // Two worker processes starting together.
    const moved = await Promise.all([
      moveLegacyJobs(connection(), prefix(), logger),
      moveLegacyJobs(connection(), prefix(), logger),
    ]);
    expect(moved[0] + moved[1]).toBe(4);
    expect(await legacy.getJobCounts("waiting", "delayed", "prioritized", "active")).toEqual({
      waiting: 0,
      delayed: 0,
      prioritized: 0,
      active: 1,
    });
    for (const spec of [retried, ...waiting, urgent]) {
      const job = await findJob(queues, spec.runId);
      expect(job?.queueName).toBe(queueNameFor(spec.reply.kind));
      expect(job?.data).toEqual(spec);
    }
    const movedRetry = await queues.forKind("discord").getJob(retried.runId);
    expect(movedRetry?.opts.attempts).toBe(1);
    expect(await movedRetry?.getState()).toBe("delayed");
    expect(await queues.forKind("web").getJobState(urgent.runId)).toBe("prioritized");

    // The new workers, and the sweep that finds the old worker's job once its lock lapsed.
    const workerConnection = connection();
    const renderers = new RendererRegistry();
    for (const kind of ["discord", "slack", "web"])
      renderers.register(kind, (spec) => new TerminalRenderer(new CapturedOutput(), spec.request.partials));
    const deps = await createRunnerDeps(pipeline.config, workerConnection, renderers, logger);
    const sweep = await sweepLegacyQueue({
      connection: workerConnection,
      prefix: prefix(),
      logger,
      everyMs: 200,
      stalledIntervalMs: 500,
    });
    const workers = startPlatformWorkers(deps, {
      connection: workerConnection,
      prefix: prefix(),
      concurrency: 2,
    });
    try {
      const all = [retried, running, ...waiting, urgent];
      await waitFor(
        "every job completed in its platform's queue",
        async () => {
          const states = await Promise.all(
            all.map(async (spec) => (await findJob(queues, spec.runId))?.getState()),
          );
          return states.every((state) => state === "completed");
        },
        30_000,
      );
      expect((await findJob(queues, running.runId))?.queueName).toBe(queueNameFor("slack"));
      // Each job reached OpenAI once: none was run twice.
      expect(pipeline.fake.requests).toHaveLength(all.length);
      await waitFor("the old queue empty", async () => {
        const counts = await legacy.getJobCounts("waiting", "delayed", "prioritized", "active");
        return Object.values(counts).every((count) => count === 0);
      });
    } finally {
      await workers.close();
      await sweep.close();
      await oldWorker.close();
    }
  }, 60_000);
});
