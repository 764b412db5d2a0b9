import type { Job } from "bullmq";
import type { UserError } from "../core/errors.js";
import type { JobResult, JobSpec } from "../core/job-spec.js";
import type { Logger } from "../logger.js";
import type { CoalescingRenderer } from "../render/coalescing-renderer.js";
import type { JobRunnerDeps } from "./runner-deps.js";

/** One attempt at a job, as each of its steps (generate, deliver) sees it. */
export interface JobAttempt {
  job: Job<JobSpec, JobResult>;
  spec: JobSpec;
  deps: JobRunnerDeps;
  renderer: CoalescingRenderer;
  log: Logger;
  signal?: AbortSignal | undefined;
  /** Shows a failure to the person, unless BullMQ will retry the job and the retry edits the same message. */
  showFailure: (error: UserError, unrecoverable: boolean) => Promise<void>;
}

/** A retry, or a start after a worker died (BullMQ counts stalls apart from attempts). */
export function rerun(job: Job<JobSpec, JobResult>): boolean {
  return job.attemptsMade > 0 || job.stalledCounter > 0;
}
