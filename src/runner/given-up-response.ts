import { type RunCost, runCost } from "../budget/job-cost.js";
import type { JobSpec } from "../core/job-spec.js";
import { styledRequest } from "../core/thread-style.js";
import type { AttemptResult } from "../engine/attempt.js";
import type { ResponseCheckpoint } from "../engine/events.js";
import type { Logger } from "../logger.js";
import { actualCost } from "../pricing/actual.js";
import type { RenderResult } from "../render/renderer.js";
import { saveFinals } from "./final-result.js";
import { recordMadeRun } from "./job-metrics.js";
import type { JobRunnerDeps } from "./runner-deps.js";
import { type MadeResult, runningMetadata } from "./stored-result.js";
import { resolveThreadParent } from "./thread-parent.js";
import { addThreadTurn } from "./thread-turn.js";

/**
 * A given-up job's background response: the result it finished with, what it cost before it stopped, or
 * `unconfirmed`: `unasked` when OpenAI could not be asked (it may still finish, and be billed) or its usage not
 * priced, `stopped` when it was stopped after it had started and OpenAI said nothing of what that cost, `lost`
 * when an Images API request (no response to ask about) may have been sent by a worker that died.
 */
export type GivenUpOutcome =
  | { made: MadeResult }
  | { charged: number }
  | { unconfirmed: "unasked" | "stopped" | "lost" };

interface GivenUpJob {
  spec: JobSpec;
  jobId: string;
  startedAt: Date;
  deps: JobRunnerDeps;
  log: Logger;
}

/**
 * A job given up after its workers died may still have its background response running, or finished and paid,
 * on OpenAI: a finished one is the job's result (stored, costed and shown as a run's would be), a running one
 * is cancelled, and what it cost so far is counted.
 */
export async function endGivenUpResponse(
  job: GivenUpJob,
  checkpoint: ResponseCheckpoint,
): Promise<GivenUpOutcome> {
  const { spec, deps, log } = job;
  if (deps.endGivenUpResponse === undefined) return { unconfirmed: "unasked" };
  const outcome = await deps.endGivenUpResponse(spec.request, checkpoint).catch((error: unknown) => {
    log.error({ err: error, responseId: checkpoint.responseId }, "the given-up job's response not ended");
    return undefined;
  });
  if (outcome === undefined) return { unconfirmed: "unasked" };
  if (outcome.state === "finished") {
    log.info({ responseId: checkpoint.responseId }, "the given-up job's response had finished; shown");
    return { made: await keepFinished(job, outcome.result) };
  }
  const cost = actualCost(spec.request.model, outcome.usage, deps.pricing.prices, {
    responsesModel: deps.pricing.responsesModel,
    images: 0,
  });
  log.info({ responseId: checkpoint.responseId, cost }, "the given-up job's response was stopped");
  // A usage that cannot be priced is no proof that nothing was charged, nor is no usage of one that had started.
  if (outcome.usage !== undefined && cost === undefined) return { unconfirmed: "unasked" };
  if (outcome.usage === undefined) return outcome.started ? { unconfirmed: "stopped" } : { charged: 0 };
  return { charged: cost?.microdollars ?? 0 };
}

/** Stores the finished response's images and writes the run's metadata, as a run that read it would have. */
async function keepFinished(job: GivenUpJob, final: AttemptResult): Promise<MadeResult> {
  const { spec, jobId, deps, log } = job;
  const metadata =
    (await deps.runs.findMetadata(spec.runId).catch(() => undefined)) ??
    runningMetadata(spec, jobId, job.startedAt);
  let unstored = false;
  metadata.finals = await saveFinals(deps.runs, spec.runId, final.images).catch((error: unknown) => {
    log.error({ err: error }, "paid images not stored; delivered from memory");
    unstored = true;
    return [];
  });
  const shape = {
    request: styledRequest(spec.request, spec.style),
    imageCount: spec.inputs.images.length + (spec.style?.imageKeys.length ?? 0),
    hasMask: spec.inputs.mask !== undefined,
    hasMarkup: spec.inputs.markup !== undefined,
    chained: spec.thread !== undefined,
  };
  const cost: RunCost = runCost(shape, final.usage, final.images.length, deps.pricing);
  const { images: _bytes, ...reported } = final;
  Object.assign(metadata, reported, { status: "completed", cost });
  delete metadata.error;
  metadata.timings.completedAt = new Date().toISOString();
  recordMadeRun(metadata, spec.user.platform);
  await deps.runs.putMetadata(metadata).catch((error: unknown) => {
    log.error({ err: error }, "metadata of paid images not stored; delivered from memory");
    unstored = true;
  });
  const result: RenderResult = {
    runId: spec.runId,
    jobId,
    request: spec.request,
    imageKeys: metadata.finals,
    cost,
    ...final,
  };
  const made = { result, metadata, unstored };
  const parent = await resolveThreadParent(deps.threads, spec.thread).catch(() => undefined);
  await addThreadTurn({ spec, deps }, made, parent).catch((error: unknown) =>
    log.warn({ err: error }, "the given-up job's result not added to its thread"),
  );
  return made;
}
