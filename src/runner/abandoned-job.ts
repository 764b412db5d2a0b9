import type { Job } from "bullmq";
import { userError } from "../core/errors.js";
import { type JobResult, type JobSpec, JobSpecSchema } from "../core/job-spec.js";
import { recordJobEnd } from "./job-metrics.js";
import type { JobRunnerDeps } from "./runner-deps.js";
import { runningMetadata, spentBy, storedResult } from "./stored-result.js";

/**
 * BullMQ's reason for a job whose workers died more often than `maxStalledCount` allows. Such a job is
 * failed by the next worker that takes it, without running the processor: nothing would finish its
 * message, write its metadata or give back its slot and reservation, so `finishAbandonedJob` does.
 */
export const STALLED_TOO_OFTEN = "job stalled more than allowable limit";

const workerLost = () => userError("worker_lost");

/**
 * Ends a job given up as stalled the way its processor would have: images a dead worker stored are shown
 * and counted at their cost; otherwise the person is told, the metadata says why, and the slot and the
 * reservation are given back.
 */
export async function finishAbandonedJob(job: Job<JobSpec, JobResult>, deps: JobRunnerDeps): Promise<void> {
  const parsed = JobSpecSchema.safeParse(job.data);
  if (!parsed.success) return;
  const spec = parsed.data;
  const jobId = job.id ?? spec.runId;
  const log = deps.logger.child({ jobId, platform: spec.user.platform, userId: spec.user.id });
  const renderer = deps.renderers.create(spec, job);
  await Promise.resolve(deps.progress?.forget(spec.runId)).catch((error: unknown) =>
    log.warn({ err: error }, "job progress not removed"),
  );
  const made = await storedResult(deps.runs, spec, jobId).catch(() => undefined);
  if (made !== undefined) {
    await Promise.all([
      deps.limits?.release(spec.user, spec.runId),
      deps.budget?.settle(spec.runId, spentBy(made.metadata)),
    ]);
    await renderer.completed(made.result);
    recordJobEnd(spec.user.platform, "completed");
    log.warn("job given up as stalled; its stored result was shown");
    return;
  }
  const error = workerLost();
  const metadata =
    (await deps.runs.findMetadata(spec.runId).catch(() => undefined)) ??
    runningMetadata(spec, jobId, new Date(job.processedOn ?? Date.now()));
  await Promise.all([
    deps.limits?.release(spec.user, spec.runId),
    deps.budget?.refund(spec.runId),
    deps.runs
      .putMetadata({ ...metadata, status: "failed", error: error.toJSON() })
      .catch((writeError: unknown) => log.error({ err: writeError }, "metadata not saved")),
  ]);
  await renderer.failed(error);
  recordJobEnd(spec.user.platform, "failed");
  log.warn("job given up as stalled; the person was told");
}
