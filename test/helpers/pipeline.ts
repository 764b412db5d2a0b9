import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/types.js";
import type { JobResult, JobSpec } from "../../src/core/job-spec.js";
import { newRunId } from "../../src/core/run-id.js";
import { checkOptions } from "../../src/intake/enqueue-run.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { createImagineQueue, type ImagineQueue, type JobQueues } from "../../src/queue/imagine-queue.js";
import { queueNameFor, singleQueue } from "../../src/queue/platform-queues.js";
import { createImagineWorker } from "../../src/queue/worker.js";
import { RendererRegistry } from "../../src/render/registry.js";
import { TerminalRenderer } from "../../src/render/terminal-renderer.js";
import type { JobRunnerDeps } from "../../src/runner/runner-deps.js";
import { createRunnerDeps } from "../../src/runner/runner-deps.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { baseTestEnv, deleteKeys, testRedis, uniquePrefix } from "./redis.js";

/** Captures a terminal renderer's lines. */
export class CapturedOutput {
  text = "";
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/**
 * The whole worker side as production wires it — real BullMQ on the real Redis, the real engine and
 * `openai` SDK against the fake server, a run folder on disk — with a terminal renderer per job whose
 * output the test can read.
 */
export interface Pipeline {
  fake: FakeOpenAI;
  config: Config;
  redis: Redis;
  /** The terminal's queue, the only one this pipeline's worker consumes. */
  queue: ImagineQueue;
  /** The same queue for every reply kind, as the intake and the actions take it. */
  queues: JobQueues;
  worker: Worker<JobSpec, JobResult>;
  deps: JobRunnerDeps;
  storageDir: string;
  outputs: Map<string, { output: CapturedOutput; renderer: TerminalRenderer }>;
  close(): Promise<void>;
}

export async function startPipeline(
  label: string,
  env: Record<string, string> = {},
  logger: Logger = createLogger("silent"),
  /** Adds renderers for other reply kinds (e.g. a platform that fails on purpose). */
  moreRenderers: (registry: RendererRegistry) => void = () => {},
): Promise<Pipeline> {
  const fake = await startFakeOpenAI();
  const prefix = uniquePrefix(label);
  const storageDir = await mkdtemp(join(tmpdir(), `imagine-${label}-`));
  const config = loadConfig({
    ...baseTestEnv(fake.url, prefix, storageDir),
    ...env,
  });
  const redis = testRedis();
  const outputs: Pipeline["outputs"] = new Map();
  const renderers = new RendererRegistry().register("terminal", (spec) => {
    const output = new CapturedOutput();
    const renderer = new TerminalRenderer(output, spec.request.partials);
    outputs.set(spec.runId, { output, renderer });
    return renderer;
  });
  moreRenderers(renderers);
  const deps = await createRunnerDeps(config, redis, renderers, logger);
  const queueName = queueNameFor("terminal");
  const queue = createImagineQueue(redis, prefix, queueName);
  const worker = createImagineWorker(deps, { connection: redis, prefix, concurrency: 2, queueName });
  await worker.waitUntilReady();
  return {
    fake,
    config,
    redis,
    queue,
    queues: singleQueue(queue),
    worker,
    deps,
    storageDir,
    outputs,
    async close() {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await fake.close();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}

/** A generation of "a lighthouse" with one partial, as the intake would queue it for `user`. */
export function lighthouseJob(options: {
  runId?: string;
  user?: JobSpec["user"];
  replyKind?: string;
  prompt?: string;
}): JobSpec {
  return {
    version: 1,
    runId: options.runId ?? newRunId(),
    request: checkOptions(
      { prompt: options.prompt ?? "a lighthouse", partials: "1" },
      { imageCount: 0, hasMask: false },
      { model: "gpt-image-2" },
    ),
    inputs: { images: [] },
    user: options.user ?? { platform: "test", id: "someone" },
    reply: { kind: options.replyKind ?? "terminal" },
    queuedAt: new Date().toISOString(),
  };
}

/** Queues `spec` with `attempts` (retried after 10 ms) and resolves as {@link settled} does. */
export async function runJob(pipeline: Pipeline, spec: JobSpec, attempts: number) {
  const done = settled(pipeline.worker, spec.runId);
  await pipeline.queue.add("imagine", spec, {
    jobId: spec.runId,
    attempts,
    backoff: { type: "fixed", delay: 10 },
  });
  return done;
}

/** Resolves when the worker finishes the job for good: its result, or its final failure. */
export function settled(
  worker: Worker<JobSpec, JobResult>,
  jobId: string,
): Promise<{ result?: JobResult; error?: Error; attemptsMade: number }> {
  return new Promise((resolve) => {
    const onCompleted = (job: Job<JobSpec, JobResult>, result: JobResult) => {
      if (job.id === jobId) finish({ result, attemptsMade: job.attemptsMade });
    };
    const onFailed = (job: Job<JobSpec, JobResult> | undefined, error: Error) => {
      if (
        job?.id === jobId &&
        (error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1))
      ) {
        finish({ error, attemptsMade: job.attemptsMade });
      }
    };
    const finish = (outcome: { result?: JobResult; error?: Error; attemptsMade: number }) => {
      worker.off("completed", onCompleted);
      worker.off("failed", onFailed);
      resolve(outcome);
    };
    worker.on("completed", onCompleted);
    worker.on("failed", onFailed);
  });
}
