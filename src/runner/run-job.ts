import type { Job } from "bullmq";
import { asUserError, type UserError } from "../core/errors.js";
import type { JobResult, JobSpec } from "../core/job-spec.js";
import { CoalescingRenderer } from "../render/coalescing-renderer.js";
import type { RunMetadata } from "../storage/run-store.js";
import { deliver } from "./deliver.js";
import { describeJob } from "./describe-job.js";
import { generate } from "./generate.js";
import { type JobAttempt, rerun } from "./job-attempt.js";
import { pick } from "./pick.js";
import type { JobRunnerDeps } from "./runner-deps.js";
import { type MadeResult, storedResult } from "./stored-result.js";
import { UnstoredResults } from "./unstored-results.js";

/** This worker process's paid results that storage would not take, for a retry of their delivery. */
const unstoredResults = new UnstoredResults<MadeResult>();

/**
 * The processor: inputs → engine → renderer and run folder → thread chain → delivery. A retry of a job whose
 * images were already made only delivers them again from the run folder: OpenAI is never paid twice.
 * `stored` hears of the final images once they are in the run folder, before delivery (on every attempt
 * that reaches that point).
 */
export async function runImagineJob(
  job: Job<JobSpec, JobResult>,
  spec: JobSpec,
  deps: JobRunnerDeps,
  signal?: AbortSignal,
  stored?: (metadata: RunMetadata) => Promise<void>,
): Promise<JobResult> {
  const log = deps.logger.child({ jobId: job.id, platform: spec.user.platform, userId: spec.user.id });
  const renderer = new CoalescingRenderer(deps.renderers.create(spec, job), log, spec.user.platform);
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  // A failure BullMQ will retry stays silent (the retry edits the same message); a final one is shown.
  const showFailure = async (error: UserError, unrecoverable: boolean) => {
    if (!unrecoverable && !lastAttempt) return;
    await renderer.failed(error).catch((renderError: unknown) => {
      log.error({ err: renderError, code: error.code }, "failure not shown to the person");
    });
  };
  const attempt: JobAttempt = { job, spec, deps, renderer, log, signal, showFailure };

  const made =
    spec.kind === "describe"
      ? await describeJob(attempt)
      : ((await madeBefore(attempt)) ?? (await generate(attempt)));
  if (made.unstored) unstoredResults.keep(spec.runId, made);
  await stored?.(made.metadata);

  await deliver(made, attempt);
  unstoredResults.forget(spec.runId);
  log.info({ finals: made.result.imageKeys.length, attempts: made.metadata.attempts }, "job completed");
  return {
    runId: spec.runId,
    finals: made.result.imageKeys,
    ...pick(made.result, ["responseId", "revisedPrompt"]),
  };
}

/** A retry, or a start after a worker died (a stall is not an attempt): images made before are shown again. */
async function madeBefore(attempt: JobAttempt): Promise<MadeResult | undefined> {
  const { job, spec, deps, log, showFailure } = attempt;
  if (!rerun(job)) return undefined;
  const made =
    unstoredResults.find(spec.runId) ??
    (await storedResult(deps.runs, spec, job.id ?? spec.runId).catch(async (error: unknown) => {
      await showFailure(asUserError(error), false);
      throw error;
    }));
  if (made !== undefined)
    log.info({ finals: made.result.imageKeys.length }, "retry delivers the stored result");
  return made;
}
