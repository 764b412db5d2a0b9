import { UserError, userError } from "../core/errors.js";
import type { RenderResult } from "../render/renderer.js";
import type { JobAttempt } from "./job-attempt.js";
import type { MadeResult } from "./stored-result.js";

/**
 * Shows the result. When the platform refuses it (an upload too large, the platform down), the run folder
 * keeps the paid images, the metadata says `delivery_failed`, and BullMQ's retry offers them again; on the
 * last attempt the person gets a text-only answer, which may get through where the upload did not.
 */
export async function deliver(made: MadeResult, attempt: JobAttempt): Promise<void> {
  const { deps, renderer, log, showFailure } = attempt;
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
