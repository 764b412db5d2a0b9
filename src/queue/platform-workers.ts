import type { Worker } from "bullmq";
import type { JobResult, JobSpec } from "../core/job-spec.js";
import type { JobRunnerDeps } from "../runner/runner-deps.js";
import { PLATFORM_REPLY_KINDS, queueNameFor } from "./platform-queues.js";
import { ProcessSlots } from "./process-slots.js";
import { createImagineWorker, type ImagineWorkerOptions } from "./worker.js";

/** A worker process's BullMQ Workers, one per platform queue it can show, run as one. */
export interface PlatformWorkers {
  /** The Workers, with the reply kind of the queue each consumes. */
  readonly workers: readonly { kind: string; worker: Worker<JobSpec, JobResult> }[];
  /** Tells the job to stop if one of these Workers runs it (`Worker.cancelJob`). */
  cancelJob(runId: string, reason: string): boolean;
  cancelAllJobs(reason: string): void;
  /** Takes no new job, and resolves once the running ones have ended. */
  close(): Promise<void>;
}

/**
 * One Worker per platform whose renderer this process has (a Slack-only worker never sees a Discord job), all
 * sharing WORKER_CONCURRENCY (src/queue/process-slots.ts) and the images-per-minute gate (one key for all).
 */
export function startPlatformWorkers(
  deps: JobRunnerDeps,
  options: Omit<ImagineWorkerOptions, "queueName" | "slots">,
): PlatformWorkers {
  const slots = new ProcessSlots(options.concurrency);
  const workers = PLATFORM_REPLY_KINDS.filter((kind) => deps.renderers.has(kind)).map((kind) => ({
    kind,
    worker: createImagineWorker(deps, { ...options, queueName: queueNameFor(kind), slots }),
  }));
  return {
    workers,
    cancelJob: (runId, reason) => workers.some(({ worker }) => worker.cancelJob(runId, reason)),
    cancelAllJobs: (reason) => {
      for (const { worker } of workers) worker.cancelAllJobs(reason);
    },
    close: async () => {
      await Promise.all(workers.map(({ worker }) => worker.close()));
    },
  };
}
