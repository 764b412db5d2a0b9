import { setTimeout as sleep } from "node:timers/promises";
import type { Relay } from "bullmq";
import type { BudgetLedger } from "../budget/ledger.js";
import type { JobSpec } from "../core/job-spec.js";
import type { RedisClient } from "../core/redis-slots.js";
import type { Logger } from "../logger.js";
import type { UserLimits } from "../stores/user-limits.js";
import type { JobQueues } from "./imagine-queue.js";
import { findJob } from "./platform-queues.js";

/** Who clicked: the requester may cancel their job, an admin (platform's own rule) anyone's. */
export interface Canceller {
  userId: string;
  admin: boolean;
}

/**
 * What a click did. `removed`: the job was waiting and is gone, its reservation refunded and slot freed; the
 * platform shows "Cancelled" itself (no worker will). `stopping`: it was running, its worker was told, and
 * the worker's renderer shows "Cancelled" (refund and slot as for any failure, in `worker.ts`).
 */
export type CancelOutcome =
  | { kind: "removed"; job: JobSpec }
  | { kind: "stopping"; job: JobSpec }
  | { kind: "finished" }
  | { kind: "refused"; requester: string };

/**
 * Running jobs are cancelled through BullMQ's `Relay` (Redis-backed pub/sub between processes; marked experimental
 * in BullMQ 6, so its use stays in this file and `app/process.ts`): the click reaches a bot process, the job runs
 * in any worker process.
 */
const CANCEL_TOPIC = "imagine.jobs.cancel";

interface CancelMessage {
  runId: string;
  by: string;
}

/** States in which a job has not started (or waits for a retry): it can simply be taken out of the queue. */
const NOT_RUNNING = new Set(["waiting", "delayed", "prioritized", "waiting-children"]);

/**
 * The status is posted just before its job is queued (the job must name the message it edits), so a click
 * that fast can arrive first. It waits this long for the job; short enough for Discord's 3-second answer.
 */
const QUEUEING_GRACE_MS = 1_500;

async function jobOnceQueued(queues: JobQueues, runId: string) {
  const deadline = Date.now() + QUEUEING_GRACE_MS;
  for (;;) {
    const job = await findJob(queues, runId);
    if (job !== undefined || Date.now() >= deadline) return job;
    await sleep(100);
  }
}

/**
 * A cancel is also remembered in Redis for the job, for the moments the relay cannot reach it: BullMQ has
 * made the job active but its worker does not track it yet, or the images-per-minute gate put it back in the
 * queue. The worker reads it when the job starts (`cancelledBefore`). An hour is longer than any job waits.
 */
const REMEMBERED_CANCEL_SECONDS = 3_600;

/** Next to the job's own queue's keys. */
const cancelKey = (queueQualifiedName: string, runId: string) => `${queueQualifiedName}:cancelled:${runId}`;

async function rememberCancel(deps: CancelDeps, queueQualifiedName: string, message: CancelMessage) {
  const key = cancelKey(queueQualifiedName, message.runId);
  await deps.redis.set(key, message.by, "EX", REMEMBERED_CANCEL_SECONDS);
}

/** Who cancelled the job `runId` before it started in this worker, if anyone: the abort reason it starts with. */
export async function cancelledBefore(
  redis: RedisClient,
  queueQualifiedName: string,
  runId: string,
): Promise<string | undefined> {
  const by = await redis.get(cancelKey(queueQualifiedName, runId));
  return by === null ? undefined : `cancelled by ${by}`;
}

export interface CancelDeps {
  queues: JobQueues;
  /** The queue's own Redis. */
  redis: RedisClient;
  relay: Relay;
  limits: UserLimits;
  budget: BudgetLedger;
  logger: Logger;
}

/**
 * Cancels a job wherever it is, for every platform: the job is read back from the queue (a waiting job has no
 * run folder yet), its requester or an admin may cancel it; a waiting one is removed here, a running one is
 * aborted by the worker process that runs it (`Worker.cancelJob` only works there), which turns the abort into
 * the final `cancelled` error: no retry, the person's reservation refunded.
 */
export async function cancelJob(deps: CancelDeps, runId: string, by: Canceller): Promise<CancelOutcome> {
  const job = await jobOnceQueued(deps.queues, runId);
  if (job === undefined) return { kind: "finished" };
  const spec = job.data;
  if (spec.user.id !== by.userId && !by.admin) return { kind: "refused", requester: spec.user.id };
  const state = await job.getState();
  if (NOT_RUNNING.has(state)) {
    // A worker may take it between the two calls: then it is locked, cannot be removed, and is running.
    const removed = await job.remove().then(
      () => true,
      () => false,
    );
    if (removed) {
      await Promise.all([deps.limits.release(spec.user, runId), deps.budget.refund(runId)]);
      deps.logger.info({ jobId: runId, by: by.userId }, "waiting job cancelled");
      return { kind: "removed", job: spec };
    }
  } else if (state !== "active") {
    return { kind: "finished" };
  }
  const message: CancelMessage = { runId, by: by.userId };
  await rememberCancel(deps, job.queueQualifiedName, message);
  await deps.relay.publish(CANCEL_TOPIC, message);
  deps.logger.info({ jobId: runId, by: by.userId }, "running job told to stop");
  return { kind: "stopping", job: spec };
}

/**
 * A worker process's half: every cancel request reaches every worker, and the one running the job aborts its
 * `AbortSignal` (the engine's HTTP request with it); for the others it is a no-op.
 */
export async function listenForCancels(
  relay: Relay,
  worker: { cancelJob(jobId: string, reason: string): boolean },
  logger: Logger,
): Promise<{ unsubscribe(): Promise<void> }> {
  return relay.subscribe<CancelMessage>(CANCEL_TOPIC, ({ data }) => {
    if (typeof data?.runId !== "string") return;
    if (worker.cancelJob(data.runId, `cancelled by ${data.by}`))
      logger.info({ jobId: data.runId, by: data.by }, "job cancelled");
  });
}
