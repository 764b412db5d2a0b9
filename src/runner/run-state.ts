import type { JobProgressStatus } from "../core/job-spec.js";
import type { RunMetadata } from "../storage/run-store.js";
import type { JobAttempt } from "./job-attempt.js";
import { runningMetadata } from "./stored-result.js";

/** What a run of the engine has got to: the metadata it writes as it goes, and whether storage refused any. */
export interface RunState {
  attempt: JobAttempt;
  startedAt: Date;
  metadata: RunMetadata;
  /** Storage did not take the final images or their metadata: delivered from memory. */
  unstored: boolean;
  progress: (status: JobProgressStatus) => Promise<void>;
}

export function startRun(attempt: JobAttempt): RunState {
  const { job, spec } = attempt;
  const startedAt = new Date();
  return {
    attempt,
    startedAt,
    metadata: runningMetadata(spec, job.id ?? spec.runId, startedAt),
    unstored: false,
    progress: (status) => job.updateProgress(status).catch(() => undefined),
  };
}

export function finishTimings(metadata: RunMetadata, startedAt: Date): void {
  const now = new Date();
  metadata.timings.completedAt = now.toISOString();
  metadata.timings.totalMs = now.getTime() - startedAt.getTime();
  if (metadata.timings.firstPartialAt) {
    metadata.timings.firstPartialMs =
      new Date(metadata.timings.firstPartialAt).getTime() - startedAt.getTime();
  }
}

/**
 * The run's first write, before OpenAI is paid: storage that cannot take it stops the job here, with a sentence
 * for the person (`storage_unavailable`), instead of after paying. Then the run is listed in its person's
 * history (`/history` shows only runs with images; the studio shows Describes too); a run that then fails is
 * skipped by the readers.
 */
export async function firstWrite(run: RunState): Promise<void> {
  const { deps, spec } = run.attempt;
  await deps.runs.putMetadata(run.metadata);
  await deps.runIndex?.record(spec.user, spec.runId, new Date(spec.queuedAt));
}
