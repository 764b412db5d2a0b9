import type { ThreadTurn } from "../stores/threads.js";
import type { JobAttempt } from "./job-attempt.js";
import type { MadeResult } from "./stored-result.js";

/** Adds the run's result to its thread as the turn a later message chains from (Responses API only). */
export async function addThreadTurn(
  attempt: Pick<JobAttempt, "spec" | "deps">,
  { result, metadata }: MadeResult,
  parent: ThreadTurn | undefined,
): Promise<void> {
  const { spec, deps } = attempt;
  if (spec.thread && result.responseId) {
    await deps.threads.append(spec.thread, {
      jobId: metadata.jobId,
      responseId: result.responseId,
      imageKeys: metadata.finals,
      ...(parent ? { parentJobId: parent.jobId } : {}),
      createdAt: new Date().toISOString(),
    });
  }
}
