import { type JobsOptions, Queue } from "bullmq";
import type { JobResult, JobSpec } from "../core/job-spec.js";
import { JobSpecSchema } from "../core/job-spec.js";
import { queueKeyPrefix, type RedisClient } from "../core/redis-slots.js";

export type ImagineQueue = Queue<JobSpec, JobResult>;

/** Where each job goes (a queue per platform: src/queue/platform-queues.ts), and every queue a job may be in. */
export interface JobQueues {
  /** The queue of the jobs shown by this reply kind. */
  forKind(replyKind: string): ImagineQueue;
  /** Every queue: lookups by run id, the dashboard, the metrics. */
  readonly all: readonly ImagineQueue[];
}

/**
 * One attempt more than none: the engine already retries OpenAI's transient failures, so a BullMQ retry is
 * only for the unexpected (a worker crash is recovered as a stalled job anyway).
 */
export const IMAGINE_JOB_OPTIONS: JobsOptions = {
  attempts: 2,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  // Kept a month for the dashboard and Details, but never more than a cap: at a high rate, a small share of
  // failures (moderation refusals) would otherwise hold gigabytes of Redis (docs/capacity.md).
  removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
};

/** A queue of imagine jobs; which one a job goes to is `queueNameFor`'s (src/queue/platform-queues.ts). */
export function createImagineQueue(connection: RedisClient, prefix: string, name: string): ImagineQueue {
  return new Queue<JobSpec, JobResult>(name, {
    connection,
    prefix: queueKeyPrefix(connection, prefix),
    defaultJobOptions: IMAGINE_JOB_OPTIONS,
  });
}

/**
 * Validates and enqueues; the run id is the job id, so a retried enqueue cannot create a second job and a
 * button's `action:jobId` finds the run folder. The queue is the platform's that shows the job; the position is
 * asked before (`positionIfQueuedNow`).
 */
export async function enqueueImagine(queues: JobQueues, spec: JobSpec): Promise<void> {
  const data = JobSpecSchema.parse(spec);
  await queues.forKind(data.reply.kind).add("imagine", data, { jobId: data.runId });
}
