import { asUserError, UserError } from "../core/errors.js";
import type { EngineInputs } from "../core/images.js";
import type { ImageRequest } from "../core/request.js";
import { styledRequest } from "../core/thread-style.js";
import { resolveRequest } from "../core/validate-request.js";
import { refusalFields } from "../log-safety.js";
import type { RenderResult } from "../render/renderer.js";
import type { ThreadTurn } from "../stores/threads.js";
import { cancelledError } from "./cancelled-error.js";
import { earlierRewrite, paidBeforeImages, requestToDraw, withRewrite } from "./enhance-prompt.js";
import type { JobAttempt } from "./job-attempt.js";
import { recordMadeRun } from "./job-metrics.js";
import { loadInputs } from "./load-inputs.js";
import { finishTimings, firstWrite, type RunState, startRun } from "./run-state.js";
import type { MadeResult } from "./stored-result.js";
import { streamEngine } from "./stream-engine.js";
import { resolveThreadParent } from "./thread-parent.js";
import { addThreadTurn } from "./thread-turn.js";

/** Runs the engine, storing partials and finals as they come, and adds the turn to the thread. */
export async function generate(attempt: JobAttempt): Promise<MadeResult> {
  const run = startRun(attempt);
  try {
    const { inputs, parent, request } = await prepareRun(run);
    const result = await streamEngine(run, inputs, parent, request);
    return await completeRun(run, result, parent);
  } catch (caught) {
    return await failRun(run, caught);
  }
}

/**
 * Everything before the image is asked for: the run's first write, its inputs, the request checked, its parent,
 * and with `enhance` its prompt rewritten (kept from an earlier attempt when there was one).
 */
async function prepareRun(
  run: RunState,
): Promise<{ inputs: EngineInputs; parent: ThreadTurn | undefined; request: ImageRequest }> {
  const { job, spec, deps, renderer } = run.attempt;
  const { metadata } = run;
  const rewrite = await earlierRewrite(run);
  if (rewrite) metadata.enhance = rewrite;
  // Picked up after its worker died (BullMQ counts the stalls): the person sees why it starts over.
  await renderer.started(job.stalledCounter > 0);
  await firstWrite(run);
  await run.progress({ stage: "started" });
  const { inputs, keys, styleKeys } = await loadInputs(spec, deps.runs);
  metadata.inputs = keys;
  if (spec.style) metadata.style = { ...spec.style, imageKeys: styleKeys };
  recheckRequest(styledRequest(spec.request, spec.style), inputs);
  const parent = await resolveThreadParent(deps.threads, spec.thread);
  if (parent !== undefined) {
    metadata.previousResponseId = parent.responseId;
    metadata.parentJobId = parent.jobId;
  }
  return { inputs, parent, request: await requestToDraw(run) };
}

/**
 * Adapters validate before enqueueing; the worker checks again because job data sits in Redis, where an
 * older release, another tool or a person may have put it. A request that fails here costs nothing.
 */
function recheckRequest(request: ImageRequest, inputs: EngineInputs): void {
  const counts = {
    imageCount: inputs.images.length,
    hasMask: inputs.mask !== undefined,
    hasMarkup: inputs.markup !== undefined,
  };
  resolveRequest(request, counts, { model: request.model });
}

async function completeRun(
  run: RunState,
  result: RenderResult,
  parent: ThreadTurn | undefined,
): Promise<MadeResult> {
  const { spec, deps, log } = run.attempt;
  const { metadata } = run;
  // Written before delivery: if the process dies while delivering, the retry finds the images here.
  metadata.status = "completed";
  withRewrite(metadata, result);
  finishTimings(metadata, run.startedAt);
  recordMadeRun(metadata, spec.user.platform);
  await deps.runs.putMetadata(metadata).catch((error: unknown) => {
    log.error({ err: error }, "metadata of paid images not stored; delivered from memory");
    run.unstored = true;
  });
  const made = { result, metadata, unstored: run.unstored };
  await addThreadTurn(run.attempt, made, parent);
  return made;
}

export async function failRun(run: RunState, caught: unknown): Promise<never> {
  const { deps, log, signal, showFailure } = run.attempt;
  const { metadata } = run;
  // A cancelled job (Ctrl-C, a second SIGTERM, an operator) is final: retrying it would spend again.
  const error = signal?.aborted ? cancelledError(signal.reason, caught, paidBeforeImages(metadata)) : caught;
  const userError = asUserError(error);
  metadata.status = userError.kind === "cancelled" ? "cancelled" : "failed";
  metadata.error = userError.toJSON();
  finishTimings(metadata, run.startedAt);
  // Whatever was stored (inputs, partials) stays; the metadata says how far the run got.
  await deps.runs
    .putMetadata(metadata)
    .catch((writeError) => log.error({ err: writeError }, "metadata not saved"));
  await showFailure(userError, error instanceof UserError);
  // A cancel is someone's choice, not a fault: said at info, without a stack, as a person's refusal is.
  if (userError.kind === "cancelled") log.info(refusalFields(userError), "job cancelled");
  else log.warn({ err: error, code: userError.code }, "job failed");
  throw error;
}
