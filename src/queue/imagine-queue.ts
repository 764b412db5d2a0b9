import { type JobsOptions, Queue } from "bullmq";
import type { JobResult, JobSpec } from "../core/job-spec.js";
import { JobSpecSchema } from "../core/job-spec.js";
import { queueKeyPrefix, type RedisClient } from "../core/redis-slots.js";

export const IMAGINE_QUEUE = "imagine";

export type ImagineQueue = Queue<JobSpec, JobResult>;

/**
 * One attempt more than none: the engine already retries OpenAI's transient failures, so a BullMQ retry is
 * only for the unexpected (a worker crash is recovered as a stalled job anyway).
 */
export const IMAGINE_JOB_OPTIONS: JobsOptions = {
  attempts: 2,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export function createImagineQueue(
  connection: RedisClient,
  prefix: string,
  name = IMAGINE_QUEUE,
): ImagineQueue {
  return new Queue<JobSpec, JobResult>(name, {
    connection,
    prefix: queueKeyPrefix(connection, prefix),
    defaultJobOptions: IMAGINE_JOB_OPTIONS,
  });
}

/**
 * Validates and enqueues; the run id is the job id, so a retried enqueue cannot create a second job and a
 * button's `action:jobId` finds the run folder. The queue position is asked before (`positionIfQueuedNow`).
 */
export async function enqueueImagine(queue: ImagineQueue, spec: JobSpec): Promise<void> {
  const data = JobSpecSchema.parse(spec);
  await queue.add("imagine", data, { jobId: data.runId });
}
