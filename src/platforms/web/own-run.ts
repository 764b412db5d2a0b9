import { userError } from "../../core/errors.js";
import type { JobSpec } from "../../core/job-spec.js";
import { isRunId } from "../../core/run-id.js";
import type { RunMetadata, RunStore } from "../../storage/run-store.js";
import type { StudioUser } from "./studio-api.js";

/** Whether the run was asked for by this person (the platform and id the job carried). */
export function isOwnRun(metadata: RunMetadata, user: StudioUser): boolean {
  return isOwnJob({ user: metadata.origin.user }, user);
}

export function isOwnJob(spec: Pick<JobSpec, "user">, user: StudioUser): boolean {
  return spec.user.platform === user.platform && spec.user.id === user.id;
}

/**
 * One of the person's own runs; anyone else's reads exactly as a run that does not exist, so the studio tells
 * nobody which run ids are real.
 * @throws `UserError` `web_run_not_found`.
 */
export async function ownRun(runs: RunStore, user: StudioUser, runId: string): Promise<RunMetadata> {
  const metadata = isRunId(runId) ? await runs.findMetadata(runId) : undefined;
  if (metadata === undefined || !isOwnRun(metadata, user)) throw userError("web_run_not_found");
  return metadata;
}
