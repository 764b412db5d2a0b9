import type { Job } from "bullmq";
import { type Pricing, runCost, withLostGenerations } from "../budget/job-cost.js";
import type { BudgetLedger } from "../budget/ledger.js";
import { asUserError, UserError, userError } from "../core/errors.js";
import type { EngineInputs, ImageBytes } from "../core/images.js";
import { requestAsOptions } from "../core/imagine-options.js";
import type { JobProgressStatus, JobResult, JobSpec } from "../core/job-spec.js";
import type { ImageRequest } from "../core/request.js";
import { resolveRequest } from "../core/validate-request.js";
import type { ImageEngine } from "../engine/events.js";
import { withoutSafetyIdentifier } from "../engine/safety.js";
import type { Logger } from "../logger.js";
import { CoalescingRenderer } from "../render/coalescing-renderer.js";
import type { RendererRegistry } from "../render/registry.js";
import type { RenderResult } from "../render/renderer.js";
import type { RunMetadata, RunStore } from "../storage/run-store.js";
import type { JobProgress } from "../stores/job-progress.js";
import type { ThreadStore } from "../stores/threads.js";
import type { UserLimits } from "../stores/user-limits.js";
import { recordMadeRun } from "./job-metrics.js";
import { loadInputs } from "./load-inputs.js";
import { runningMetadata, storedResult } from "./stored-result.js";
import { resolveThreadParent } from "./thread-parent.js";
import { UnstoredResults } from "./unstored-results.js";

export interface JobRunnerDeps {
  engine: ImageEngine;
  runs: RunStore;
  threads: ThreadStore;
  /**
   * What earlier runs of a job got to: lost generations, a background response to resume. None when the job
   * has no Redis (the CLI without one): then no other run can take over.
   */
  progress?: JobProgress;
  renderers: RendererRegistry;
  logger: Logger;
  /** Per-person slots taken at intake; `createImagineWorker` frees them once the images are stored. */
  limits?: UserLimits;
  /** Reservations made at intake; settled to the real cost once the images are stored, refunded on failure. */
  budget?: BudgetLedger;
  /** Prices for the cost in `metadata.json`. */
  pricing: Pricing;
  /** Hashes a platform user id for OpenAI's `safety_identifier` (the salt may come from Redis). */
  safetyIdentifier: (platform: string, userId: string) => Promise<string>;
}

/**
 * Adapters validate before enqueueing; the worker checks again because job data sits in Redis, where an
 * older release, another tool or a person may have put it. A request that fails here costs nothing.
 */
function recheckRequest(request: ImageRequest, inputs: EngineInputs): void {
  const counts = { imageCount: inputs.images.length, hasMask: inputs.mask !== undefined };
  resolveRequest(requestAsOptions(request), counts, { model: request.model });
}

/** A result in the run folder, and the metadata that says how it was made. */
interface MadeResult {
  result: RenderResult;
  metadata: RunMetadata;
  /** Storage did not take the final images or their metadata: delivered from memory. */
  unstored?: boolean;
}

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
  const jobId = job.id ?? spec.runId;
  // A failure BullMQ will retry stays silent (the retry edits the same message); a final one is shown.
  const showFailure = async (error: UserError, unrecoverable: boolean) => {
    if (!unrecoverable && !lastAttempt) return;
    await renderer.failed(error).catch((renderError: unknown) => {
      log.error({ err: renderError, code: error.code }, "failure not shown to the person");
    });
  };

  let made: MadeResult | undefined;
  // A retry, or a start after a worker died (a stall is not an attempt): images made before are shown again.
  if (rerun(job)) {
    made = unstoredResults.find(spec.runId);
    made ??= await storedResult(deps.runs, spec, jobId).catch(async (error: unknown) => {
      await showFailure(asUserError(error), false);
      throw error;
    });
    if (made !== undefined)
      log.info({ finals: made.result.imageKeys.length }, "retry delivers the stored result");
  }
  made ??= await generate(job, spec, deps, renderer, log, showFailure, signal);
  if (made.unstored) unstoredResults.keep(spec.runId, made);
  await stored?.(made.metadata);

  await deliver(made, deps, renderer, log, showFailure);
  unstoredResults.forget(spec.runId);
  log.info({ finals: made.result.imageKeys.length, attempts: made.metadata.attempts }, "job completed");
  return {
    runId: spec.runId,
    finals: made.result.imageKeys,
    ...pick(made.result, ["responseId", "revisedPrompt"]),
  };
}

/** The reason a worker gives the jobs it cancels when it is told to stop twice (a second SIGTERM). */
export const WORKER_STOPPING = "the worker was told to stop twice";

/** Why an aborted job ended, said to the person: their own cancel, or the bot being stopped. */
function cancelledError(reason: unknown, cause: unknown): UserError {
  if (reason === WORKER_STOPPING) {
    return userError("worker_stopped", { cause });
  }
  return userError("cancelled", { cause });
}

/** A retry, or a start after a worker died (BullMQ counts stalls apart from attempts). */
function rerun(job: Job<JobSpec, JobResult>): boolean {
  return job.attemptsMade > 0 || job.stalledCounter > 0;
}

/** Runs the engine, storing partials and finals as they come, and adds the turn to the thread. */
async function generate(
  job: Job<JobSpec, JobResult>,
  spec: JobSpec,
  deps: JobRunnerDeps,
  renderer: CoalescingRenderer,
  log: Logger,
  showFailure: (error: UserError, unrecoverable: boolean) => Promise<void>,
  signal?: AbortSignal,
): Promise<MadeResult> {
  const startedAt = new Date();
  let unstored = false;
  const metadata = runningMetadata(spec, job.id ?? spec.runId, startedAt);
  const progress = (status: JobProgressStatus) => job.updateProgress(status).catch(() => undefined);

  try {
    // Picked up after its worker died (BullMQ counts the stalls): the person sees why it starts over.
    await renderer.started(job.stalledCounter > 0);
    // The run's first write, before OpenAI is paid: storage that cannot take it stops the job here, with a
    // sentence for the person (`storage_unavailable`), instead of after the images were paid for.
    await deps.runs.putMetadata(metadata);
    await progress({ stage: "started" });
    const { inputs, keys } = await loadInputs(spec, deps.runs);
    metadata.inputs = keys;
    recheckRequest(spec.request, inputs);
    const parent = await resolveThreadParent(deps.threads, spec.thread);
    if (parent !== undefined) {
      metadata.previousResponseId = parent.responseId;
      metadata.parentJobId = parent.jobId;
    }

    // A run after a crash resumes the background response the dead worker started; an Images API request
    // left open by one cannot be resumed, and its generation is counted in the attempts and the cost.
    const resumeFrom =
      spec.request.api === "responses" && rerun(job)
        ? await deps.progress?.checkpoint(spec.runId)
        : undefined;
    const lostRequests = (await deps.progress?.opened(spec.runId)) ?? 0;
    const lostGenerations = resumeFrom ? 0 : lostRequests;
    if (resumeFrom) log.info({ responseId: resumeFrom.responseId }, "resuming the background response");
    let result: RenderResult | undefined;
    // Closed however the request ends, with images or an error; only a dead worker leaves it open.
    try {
      const events = deps.engine(spec.request, inputs, {
        ...(signal ? { signal } : {}),
        safetyIdentifier: await deps.safetyIdentifier(spec.user.platform, spec.user.id),
        ...(parent ? { previousResponseId: parent.responseId } : {}),
        resumeFrom,
        onCheckpoint: (checkpoint) =>
          Promise.resolve(deps.progress?.saveCheckpoint(spec.runId, checkpoint)).catch((error: unknown) =>
            log.warn({ err: error }, "response checkpoint not saved"),
          ),
      });
      for await (const event of events) {
        if (event.type === "partial") {
          metadata.timings.firstPartialAt ??= new Date().toISOString();
          // Shown first, stored meanwhile: the write is not on the way to the person's screen (the renderer
          // takes the frame at once and edits in the background). Stored in arrival order: with n > 1 every
          // image's stream counts its partials from 0 again. A frame that cannot be stored is still shown: it
          // is a preview, not worth failing a paid job for.
          const stored = deps.runs.putPartial(spec.runId, metadata.partials.length, event.image);
          await renderer.partial(event.image, event.index);
          const key = await stored.catch((error: unknown) =>
            log.warn({ err: error }, "partial image not stored; shown anyway"),
          );
          if (key !== undefined) metadata.partials.push(key);
          await progress({ stage: "partial", index: event.index });
        } else if (event.type === "text") {
          await renderer.text(event.delta);
        } else {
          metadata.finals = await saveFinals(deps.runs, spec.runId, event.images).catch((error: unknown) => {
            log.error({ err: error }, "paid images not stored; delivered from memory");
            unstored = true;
            return [];
          });
          const reported = pick(event, ["revisedPrompt", "text", "usage", "responseId", "size", "quality"]);
          const shape = {
            request: spec.request,
            imageCount: inputs.images.length,
            hasMask: inputs.mask !== undefined,
            chained: parent !== undefined,
          };
          const cost = withLostGenerations(
            runCost(shape, event.usage, event.images.length, deps.pricing),
            lostGenerations,
          );
          Object.assign(
            metadata,
            {
              sentParameters: withoutSafetyIdentifier(event.sentParameters),
              attempts: lostRequests + event.attempts,
              cost,
            },
            reported,
          );
          result = {
            runId: spec.runId,
            jobId: metadata.jobId,
            request: spec.request,
            images: event.images,
            imageKeys: metadata.finals,
            cost,
            ...reported,
          };
          await progress({ stage: "final", images: event.images.length });
        }
      }
    } finally {
      await Promise.resolve(deps.progress?.closed(spec.runId)).catch((error: unknown) =>
        log.warn({ err: error }, "end of the OpenAI request not recorded"),
      );
    }
    if (result === undefined) throw new Error("The engine ended without a final result");

    // Written before delivery: if the process dies while delivering, the retry finds the images here.
    metadata.status = "completed";
    finishTimings(metadata, startedAt);
    recordMadeRun(metadata, spec.user.platform);
    await deps.runs.putMetadata(metadata).catch((error: unknown) => {
      log.error({ err: error }, "metadata of paid images not stored; delivered from memory");
      unstored = true;
    });
    if (spec.thread && result.responseId) {
      await deps.threads.append(spec.thread, {
        jobId: metadata.jobId,
        responseId: result.responseId,
        imageKeys: metadata.finals,
        ...(parent ? { parentJobId: parent.jobId } : {}),
        createdAt: new Date().toISOString(),
      });
    }
    return { result, metadata, unstored };
  } catch (caught) {
    // A cancelled job (Ctrl-C, a second SIGTERM, an operator) is final: retrying it would spend again.
    const error = signal?.aborted ? cancelledError(signal.reason, caught) : caught;
    const userError = asUserError(error);
    metadata.status = "failed";
    metadata.error = userError.toJSON();
    finishTimings(metadata, startedAt);
    // Whatever was stored (inputs, partials) stays; the metadata says how far the run got.
    await deps.runs
      .putMetadata(metadata)
      .catch((writeError) => log.error({ err: writeError }, "metadata not saved"));
    await showFailure(userError, error instanceof UserError);
    log.warn({ err: error, code: userError.code }, "job failed");
    throw error;
  }
}

/**
 * Shows the result. When the platform refuses it (an upload too large, the platform down), the run folder
 * keeps the paid images, the metadata says `delivery_failed`, and BullMQ's retry offers them again; on the
 * last attempt the person gets a text-only answer, which may get through where the upload did not.
 */
async function deliver(
  made: MadeResult,
  deps: JobRunnerDeps,
  renderer: CoalescingRenderer,
  log: Logger,
  showFailure: (error: UserError, unrecoverable: boolean) => Promise<void>,
): Promise<void> {
  const { result, metadata } = made;
  try {
    await renderer.completed(result);
  } catch (caught) {
    // The renderer's own `UserError` (a host it will not send the token to) already says what went wrong.
    const error = caught instanceof UserError ? caught : deliveryError(result, caught);
    await deps.runs
      .putMetadata({ ...metadata, status: "delivery_failed", error: error.toJSON() })
      .catch((writeError) => log.error({ err: writeError }, "metadata not saved"));
    await showFailure(error, caught instanceof UserError);
    log.warn({ err: caught, code: error.code }, "result not delivered");
    throw caught;
  }
  if (metadata.status !== "completed" || metadata.error !== undefined) {
    const { error: _delivered, ...delivered } = metadata;
    // Shown already: a failing write must not fail the job, or its retry would show it twice.
    await deps.runs
      .putMetadata({ ...delivered, status: "completed" })
      .catch((writeError) => log.error({ err: writeError }, "metadata not saved"));
  }
}

function deliveryError(result: RenderResult, cause: unknown): UserError {
  return userError("delivery_failed", { images: result.images.length, runId: result.runId }, { cause });
}

async function saveFinals(runs: RunStore, runId: string, images: ImageBytes[]): Promise<string[]> {
  const keys: string[] = [];
  for (const [index, image] of images.entries()) keys.push(await runs.putFinal(runId, index, image));
  return keys;
}

function finishTimings(metadata: RunMetadata, startedAt: Date): void {
  const now = new Date();
  metadata.timings.completedAt = now.toISOString();
  metadata.timings.totalMs = now.getTime() - startedAt.getTime();
  if (metadata.timings.firstPartialAt) {
    metadata.timings.firstPartialMs =
      new Date(metadata.timings.firstPartialAt).getTime() - startedAt.getTime();
  }
}

/** Copies the defined values of some keys: `exactOptionalPropertyTypes` forbids copying `undefined`. */
function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
