import { type Job, Queue, RateLimitError, UnrecoverableError, Worker, type WorkerOptions } from "bullmq";
import { UserError } from "../core/errors.js";
import { type JobResult, type JobSpec, JobSpecSchema } from "../core/job-spec.js";
import { queueKeyPrefix, type RedisClient } from "../core/redis-slots.js";
import { finishAbandonedJob, STALLED_TOO_OFTEN } from "../runner/abandoned-job.js";
import { paidBeforeImages } from "../runner/enhance-prompt.js";
import { recordJobEnd } from "../runner/job-metrics.js";
import { runImagineJob } from "../runner/run-job.js";
import type { JobRunnerDeps } from "../runner/runner-deps.js";
import { spentBy } from "../runner/stored-result.js";
import type { RunMetadata } from "../storage/run-store.js";
import { cancelledBefore } from "./cancel.js";
import { type ImageRate, ImageRateGate, imageRateKey, imagesOf } from "./image-rate.js";
import type { ProcessSlots } from "./process-slots.js";

export interface ImagineWorkerOptions {
  connection: RedisClient;
  prefix: string;
  concurrency: number;
  /** A platform's queue (`queueNameFor`), or the CLI's own. */
  queueName: string;
  /**
   * OpenAI's images per minute for every worker on every queue together (src/queue/image-rate.ts); none: no
   * limit (the CLI, whose queue is its own).
   */
  imageRate?: ImageRate | undefined;
  /** The process's WORKER_CONCURRENCY, shared with its Workers on other queues (src/queue/process-slots.ts). */
  slots?: ProcessSlots | undefined;
}

/** What the processor needs besides the job: the runner's collaborators and the queue's rate gate. */
interface WorkerContext {
  deps: JobRunnerDeps;
  connection: RedisClient;
  gate: ImageRateGate | undefined;
  /** Only for `rateLimit`, which pauses every worker of the queue (it lives in Redis); shares the connection. */
  limited: Queue | undefined;
  slots: ProcessSlots | undefined;
}

/**
 * A BullMQ worker running imagine jobs. User errors become `UnrecoverableError` (retrying a refused or
 * invalid request only costs money); anything else gets BullMQ's retry. The job's `AbortSignal` reaches the
 * engine, so cancelling a job stops the OpenAI request too.
 */
export function createImagineWorker(
  deps: JobRunnerDeps,
  options: ImagineWorkerOptions,
): Worker<JobSpec, JobResult> {
  const { queueName, slots } = options;
  const rate = options.imageRate;
  const gate = rate && new ImageRateGate(options.connection, imageRateKey(options.prefix), rate);
  const limited =
    rate &&
    new Queue(queueName, {
      connection: options.connection,
      prefix: queueKeyPrefix(options.connection, options.prefix),
    });
  const context: WorkerContext = { deps, connection: options.connection, gate, limited, slots };
  const worker: Worker<JobSpec, JobResult> = new Worker<JobSpec, JobResult>(
    queueName,
    (job, _token, signal) => processImagineJob(context, worker, job, signal),
    workerOptions(options),
  );
  worker.on("failed", (job, error) => {
    if (job === undefined || error.message !== STALLED_TOO_OFTEN) return;
    finishAbandonedJob(job, deps).catch((finishError: unknown) =>
      deps.logger.error({ err: finishError, jobId: job.id }, "a job given up as stalled was not finished"),
    );
  });
  if (limited) worker.on("closed", () => void limited.close());
  slots?.join(worker);
  return worker;
}

function workerOptions(options: ImagineWorkerOptions): WorkerOptions {
  const rate = options.imageRate;
  return {
    connection: options.connection,
    prefix: queueKeyPrefix(options.connection, options.prefix),
    concurrency: options.concurrency,
    // BullMQ honours a manual `rateLimit` only when a limiter is set. It counts one queue's jobs, so with a
    // queue per platform it is a looser bound than the gate, which counts the images of every queue together.
    ...(rate ? { limiter: { max: rate.max, duration: rate.durationMs } } : {}),
    // A live worker renews its jobs' locks every `lockDuration / 2` however long the stream runs, so the lock
    // only has to outlast a busy event loop. A dead worker's job is then found within lock + interval, about
    // 30 s, and started again elsewhere (shown as "Resuming…"); a job whose workers die twice is given up
    // (`maxStalledCount`), and `finishAbandonedJob` ends it.
    lockDuration: 20_000,
    stalledInterval: 10_000,
    maxStalledCount: 1,
  };
}

/**
 * The job's data checked, and the job taken only when the image rate allows. Its platform is this worker's: a
 * worker consumes only the queues of the platforms it has renderers for (src/queue/platform-workers.ts), so no
 * job is put back for another worker, and no put-back spends the gate.
 */
async function admitJob(context: WorkerContext, job: Job<JobSpec, JobResult>): Promise<JobSpec> {
  const { deps, gate, limited } = context;
  const parsed = JobSpecSchema.safeParse(job.data);
  if (!parsed.success) {
    deps.logger.error({ jobId: job.id, issues: parsed.error.issues }, "job data is not a valid JobSpec");
    throw new UnrecoverableError("invalid job data");
  }
  // Before anything is shown or sent: a job that does not fit waits in the queue, its status still "queued".
  // A Describe makes no image: OpenAI's images per minute are not its to use.
  const makesImages = parsed.data.kind !== "describe";
  const waitMs = gate && makesImages ? await gate.take(imagesOf(parsed.data.request), parsed.data.runId) : 0;
  if (waitMs > 0) {
    await limited?.rateLimit(waitMs);
    throw new RateLimitError();
  }
  return parsed.data;
}

async function processImagineJob(
  context: WorkerContext,
  worker: Worker<JobSpec, JobResult>,
  job: Job<JobSpec, JobResult>,
  signal?: AbortSignal,
): Promise<JobResult> {
  // A slot of the process first, then the gate: a job waiting for a slot has not spent an image's place.
  const freeSlot = (await context.slots?.take(worker, signal)) ?? (() => {});
  try {
    return await runAdmitted(context, worker, job, signal);
  } finally {
    freeSlot();
  }
}

async function runAdmitted(
  context: WorkerContext,
  worker: Worker<JobSpec, JobResult>,
  job: Job<JobSpec, JobResult>,
  signal?: AbortSignal,
): Promise<JobResult> {
  const { deps } = context;
  const spec = await admitJob(context, job);
  const { user, runId } = spec;
  // Freed and settled once the images are stored, before they are shown: a Re-roll clicked as the result
  // appears finds the slot free and the budget counted at the real cost. Both are idempotent, so a retry
  // that shows the stored result again changes nothing. Paid images are shown even when Redis fails here
  // (a slot left behind lapses after an hour, a reservation after a week).
  const stored = async (metadata: RunMetadata) => {
    await Promise.all([
      deps.limits?.release(user, runId),
      deps.budget?.settle(runId, spentBy(metadata)),
    ]).catch((error: unknown) =>
      deps.logger.error({ err: error, jobId: job.id }, "slot or budget not settled"),
    );
  };
  // A cancel that came while the job was between queue and worker; the relay reaches it once it runs.
  const cancelled = await cancelledBefore(context.connection, worker.qualifiedName, runId);
  // Nothing will run the job again: what its runs got to (a background response to resume) can go.
  const forgetProgress = () =>
    Promise.resolve(deps.progress?.forget(runId)).catch((error: unknown) =>
      deps.logger.warn({ err: error, jobId: job.id }, "job progress not removed"),
    );
  try {
    const result = await runImagineJob(
      job,
      spec,
      deps,
      cancelled ? AbortSignal.abort(cancelled) : signal,
      stored,
    );
    await forgetProgress();
    recordJobEnd(user.platform, "completed");
    return result;
  } catch (error) {
    const final = error instanceof UserError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // A job BullMQ will retry still holds its person's slot and reservation. One that ends without images
    // (refused, blocked, cancelled, failed for good) costs the person nothing; one whose images were stored
    // was settled above, and a refund after a settle changes nothing.
    if (final) {
      await Promise.all([deps.limits?.release(user, runId), endReservation(deps, runId), forgetProgress()]);
      recordJobEnd(user.platform, isCancel(error) ? "cancelled" : "failed");
    }
    if (error instanceof UserError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
    throw error;
  }
}

/** A job ended by a cancel: the person's, an operator's, or a worker told to stop twice. */
function isCancel(error: unknown): boolean {
  return (
    error instanceof UserError &&
    ["cancelled", "worker_stopped", "worker_stopped_charged"].includes(error.code)
  );
}

/**
 * A job that ends without images gives its reservation back, unless something was paid before the images were
 * asked for (an enhanced prompt's rewrite): then the budget counts that, as OpenAI did.
 */
async function endReservation(deps: JobRunnerDeps, runId: string): Promise<void> {
  const metadata = await deps.runs.findMetadata(runId).catch(() => undefined);
  const paid = paidBeforeImages(metadata);
  if (paid > 0) await deps.budget?.settle(runId, { micro: paid, images: 0 });
  else await deps.budget?.refund(runId);
}
