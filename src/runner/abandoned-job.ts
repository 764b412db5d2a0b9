import type { Job } from "bullmq";
import { formatCost } from "../budget/job-cost.js";
import { type UserError, userError } from "../core/errors.js";
import { type JobResult, type JobSpec, JobSpecSchema } from "../core/job-spec.js";
import type { Logger } from "../logger.js";
import type { Renderer } from "../render/renderer.js";
import { paidBeforeImages } from "./enhance-prompt.js";
import { endGivenUpResponse, type GivenUpOutcome } from "./given-up-response.js";
import { recordJobEnd } from "./job-metrics.js";
import type { JobRunnerDeps } from "./runner-deps.js";
import { type MadeResult, runningMetadata, spentBy, storedResult } from "./stored-result.js";

/**
 * BullMQ's reason for a job whose workers died more often than `maxStalledCount` allows. Such a job is
 * failed by the next worker that takes it, without running the processor: nothing would finish its
 * message, write its metadata or give back its slot and reservation, so `finishAbandonedJob` does.
 */
export const STALLED_TOO_OFTEN = "job stalled more than allowable limit";

/**
 * Ends a job given up as stalled the way its processor would have: images a dead worker stored, or that its
 * background response finished with on OpenAI, are shown and counted at their cost; otherwise a response
 * still running is cancelled, the person is told what it cost, the metadata says why, and the slot and the
 * rest of the reservation are given back.
 */
export async function finishAbandonedJob(job: Job<JobSpec, JobResult>, deps: JobRunnerDeps): Promise<void> {
  const parsed = JobSpecSchema.safeParse(job.data);
  if (!parsed.success) return;
  const spec = parsed.data;
  const jobId = job.id ?? spec.runId;
  const startedAt = new Date(job.processedOn ?? Date.now());
  const log = deps.logger.child({ jobId, platform: spec.user.platform, userId: spec.user.id });
  const renderer = deps.renderers.create(spec, job);
  // Read before it is forgotten: the response a dead worker left running is paid whether or not it is shown.
  const checkpoint =
    spec.request.api === "responses"
      ? await Promise.resolve(deps.progress?.checkpoint(spec.runId)).catch(() => undefined)
      : undefined;
  await Promise.resolve(deps.progress?.forget(spec.runId)).catch((error: unknown) =>
    log.warn({ err: error }, "job progress not removed"),
  );
  const stored = await storedResult(deps.runs, spec, jobId).catch(() => undefined);
  const written = await deps.runs.findMetadata(spec.runId).catch(() => undefined);
  const outcome: GivenUpOutcome = stored
    ? { made: stored }
    : checkpoint
      ? await endGivenUpResponse({ spec, jobId, startedAt, deps, log }, checkpoint)
      : // The run's first write comes just before the image is asked for: after it, a dead worker's request may
        // have reached OpenAI, which bills an image it was making whether or not anyone reads it, and cannot be
        // asked what. Before it, nothing was sent.
        written
        ? { unconfirmed: "lost" }
        : { charged: 0 };
  if ("made" in outcome) {
    await showMade(outcome.made, spec, deps, log, renderer);
    return;
  }
  const metadata = written ?? runningMetadata(spec, jobId, startedAt);
  // A rewrite of the prompt (`enhance`) paid before the image was asked for is part of what was charged.
  const charged: Unshown =
    "charged" in outcome ? { charged: outcome.charged + paidBeforeImages(metadata) } : outcome;
  const error = givenUpError(charged);
  await Promise.all([
    deps.limits?.release(spec.user, spec.runId),
    settleGivenUp(deps, spec.runId, charged),
    deps.runs
      .putMetadata({ ...metadata, status: "failed", error: error.toJSON() })
      .catch((writeError: unknown) => log.error({ err: writeError }, "metadata not saved")),
  ]);
  await renderer.failed(error);
  recordJobEnd(spec.user.platform, "failed");
  log.warn(charged, "job given up as stalled; the person was told");
}

type Unshown = Exclude<GivenUpOutcome, { made: MadeResult }>;

const UNCONFIRMED = {
  unasked: "worker_lost_unconfirmed",
  stopped: "worker_lost_stopped",
  lost: "worker_lost_sent",
} as const;

/** What the person is told: nothing charged, what the stopped response cost, or that it may still be billed. */
function givenUpError(outcome: Unshown): UserError {
  if ("unconfirmed" in outcome) return userError(UNCONFIRMED[outcome.unconfirmed]);
  if (outcome.charged > 0)
    return userError("worker_lost_charged", { cost: formatCost({ microdollars: outcome.charged }) });
  return userError("worker_lost");
}

/**
 * The reservation: given back when nothing was charged, settled to what the stopped response cost, and kept
 * whole when OpenAI could not say (the response may finish and be billed; the reservation lapses unrefunded).
 */
async function settleGivenUp(deps: JobRunnerDeps, runId: string, outcome: Unshown): Promise<void> {
  if ("unconfirmed" in outcome) return;
  if (outcome.charged > 0) await deps.budget?.settle(runId, { micro: outcome.charged, images: 0 });
  else await deps.budget?.refund(runId);
}

async function showMade(
  made: MadeResult,
  spec: JobSpec,
  deps: JobRunnerDeps,
  log: Logger,
  renderer: Renderer,
): Promise<void> {
  await Promise.all([
    deps.limits?.release(spec.user, spec.runId),
    deps.budget?.settle(spec.runId, spentBy(made.metadata)),
  ]);
  await renderer.completed(made.result);
  recordJobEnd(spec.user.platform, "completed");
  log.warn("job given up as stalled; its result was shown");
}
