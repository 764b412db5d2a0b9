import { userInfo } from "node:os";
import type { Job } from "bullmq";
import type { Config } from "../config/types.js";
import { userError } from "../core/errors.js";
import type { EngineInputs } from "../core/images.js";
import { type JobResult, type JobSpec, JobSpecSchema } from "../core/job-spec.js";
import type { RedisClient } from "../core/redis-slots.js";
import type { ImageRequest } from "../core/request.js";
import { newRunId } from "../core/run-id.js";
import { saltedSafetyIdentifier } from "../engine/safety.js";
import { enqueueRun, type RunToEnqueue, storeRun } from "../intake/enqueue-run.js";
import type { Logger } from "../logger.js";
import { connectRedis, createRedisConnection, redisAddress } from "../queue/connection.js";
import { createImagineQueue } from "../queue/imagine-queue.js";
import { singleQueue } from "../queue/platform-queues.js";
import { positionIfQueuedNow } from "../queue/queue-position.js";
import { createImagineWorker } from "../queue/worker.js";
import { RendererRegistry } from "../render/registry.js";
import { type TerminalOutput, TerminalRenderer } from "../render/terminal-renderer.js";
import { runImagineJob } from "../runner/run-job.js";
import { createRunnerDeps, type JobRunnerDeps } from "../runner/runner-deps.js";
import { resolveSafetySalt } from "../stores/safety-salt.js";
import { probeRedis } from "./redis-probe.js";

export interface LocalJobOptions {
  config: Config;
  request: ImageRequest;
  /** Checked by their headers (`checkInputHeaders`); the job decodes and converts them. */
  inputs: EngineInputs;
  outDir: string;
  /** Name of a local conversation to continue (Responses API chaining). */
  thread: string | undefined;
  progress: TerminalOutput;
  logger: Logger;
  /** Aborting cancels the job, and with it the OpenAI request. */
  signal?: AbortSignal;
}

export interface LocalJobRun {
  runId: string;
  renderer: TerminalRenderer;
}

/**
 * Runs one job the way the bot does (the worker's `runImagineJob`, the engine, the run folder) in this
 * process, with the terminal as the renderer: through a real BullMQ queue when Redis answers on `REDIS_URL`,
 * or straight away when none does, so the CLI works on a machine without Redis. Only `--thread` needs Redis
 * (a conversation's turns live there) and is refused without it, before anything is spent.
 */
export async function runLocalJob(options: LocalJobOptions): Promise<LocalJobRun> {
  const probe = await probeRedis(options.config);
  if (probe.ok) return runOnQueue(options);
  if (options.thread !== undefined) {
    throw userError("thread_needs_redis", { redis: redisAddress(options.config), reason: probe.reason });
  }
  options.progress.write(
    `no Redis answers on ${redisAddress(options.config)} (${probe.reason}): running the job in this process, without the queue\n`,
  );
  return runInProcess(options, probe.closed);
}

/** The renderer this run reports to, and the worker's collaborators writing to `outDir`. */
async function terminalDeps(
  options: LocalJobOptions,
  redis: RedisClient,
): Promise<LocalJobRun & { deps: JobRunnerDeps }> {
  const { request } = options;
  const renderer = new TerminalRenderer(options.progress, request.partials, request.n);
  const renderers = new RendererRegistry().register("terminal", () => renderer);
  const deps = await createRunnerDeps(options.config, redis, renderers, options.logger, {
    kind: "local",
    dir: options.outDir,
  });
  return { runId: newRunId(), renderer, deps };
}

function runToStore(options: LocalJobOptions, runId: string): RunToEnqueue {
  const user = userInfo().username;
  return {
    runId,
    request: options.request,
    inputs: options.inputs,
    user: { platform: "cli", id: user },
    ...(options.thread ? { thread: { platform: "cli", workspace: user, thread: options.thread } } : {}),
    reply: { kind: "terminal" },
  };
}

/**
 * The queue is private to this invocation so that no other worker on the same Redis can take the job (its
 * renderer writes to this terminal). Its worker starts once the job is queued and said so: "queued" is
 * always printed before "generating".
 */
async function runOnQueue(options: LocalJobOptions): Promise<LocalJobRun> {
  const { config } = options;
  const producer = await connectRedis(createRedisConnection(config, "producer"), config);
  const workerConnection = createRedisConnection(config, "worker");
  const { runId, renderer, deps } = await terminalDeps(options, workerConnection);
  const queueName = `cli-${runId}`;
  const queue = createImagineQueue(producer, config.queuePrefix, queueName);
  let worker: ReturnType<typeof createImagineWorker> | undefined;
  const onAbort = () => worker?.cancelJob(runId, "cancelled from the terminal");
  options.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    const position = await positionIfQueuedNow(singleQueue(queue), "terminal");
    await enqueueRun(singleQueue(queue), deps.runs, runToStore(options, runId));
    await renderer.queued(position);
    if (options.signal?.aborted) return { runId, renderer };
    const started = createImagineWorker(deps, {
      connection: workerConnection,
      prefix: config.queuePrefix,
      concurrency: 1,
      queueName,
    });
    worker = started;
    await new Promise<void>((resolve) => {
      // `failed` also fires for an attempt BullMQ will retry; the renderer hears only of the last one.
      const done = (job: { id?: string } | undefined) => {
        if (job?.id === runId && renderer.outcome !== undefined) resolve();
      };
      started.on("completed", done);
      started.on("failed", done);
    });
    return { runId, renderer };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    producer.disconnect();
    workerConnection.disconnect();
  }
}

/**
 * What `runImagineJob` reads of a BullMQ job. Without Redis there is no queue and no job: the run gets the
 * id a queued one would (its run id), one attempt (so a failure is final and shown at once, as BullMQ's last
 * attempt is), and no progress listeners to tell.
 */
type InProcessJob = Pick<Job<JobSpec, JobResult>, "id" | "attemptsMade" | "opts" | "updateProgress">;

function inProcessJob(runId: string): InProcessJob {
  return { id: runId, attemptsMade: 0, opts: { attempts: 1 }, updateProgress: async () => undefined };
}

/**
 * The worker's processor without the queue: the same `runImagineJob`, inputs stored the same way, the same
 * run folder and metadata. `closed` is the Redis that did not answer: only threads and per-person limits use
 * it, and neither is reached (`--thread` is refused above; the CLI has no limits).
 */
async function runInProcess(options: LocalJobOptions, closed: RedisClient): Promise<LocalJobRun> {
  const { runId, renderer, deps } = await terminalDeps(options, closed);
  // No Redis to share the salt through: the configured one, or one made for this run.
  const salt = () => resolveSafetySalt(options.config.openai.safetyIdentifierSalt, undefined);
  deps.safetyIdentifier = saltedSafetyIdentifier(salt);
  // Nothing else can take the job over, and there is no Redis to keep its progress in.
  delete deps.progress;
  delete deps.runIndex;
  const spec = JobSpecSchema.parse(await storeRun(deps.runs, runToStore(options, runId), runId));
  // `runImagineJob` reads only the members `InProcessJob` picks; BullMQ's `Job` type asks for all of them.
  const job = inProcessJob(runId) as Job<JobSpec, JobResult>;
  await runImagineJob(job, spec, deps, options.signal).catch((error: unknown) => {
    // A failure the renderer was told of is the CLI's to print; anything else is a bug to report as one.
    if (renderer.outcome === undefined) throw error;
  });
  return { runId, renderer };
}
