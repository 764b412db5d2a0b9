import type { PersonJob } from "../core/person-job.js";
import type { LimitedUser, UserLimits } from "../stores/user-limits.js";
import type { ImagineQueue } from "./imagine-queue.js";

/**
 * The jobs holding a person's slots that are still running or waiting, oldest first in the queue. A slot
 * whose job has already ended (its slot is freed a moment later) is left out.
 */
export async function personJobs(
  queue: ImagineQueue,
  limits: UserLimits,
  user: LimitedUser,
): Promise<PersonJob[]> {
  const ids = await limits.activeJobs(user);
  if (ids.length === 0) return [];
  const [states, waiting] = await Promise.all([
    Promise.all(ids.map((id) => queue.getJobState(id))),
    // Oldest first: a job's index is the number of jobs ahead of it.
    queue.getRanges(["waiting"], 0, -1, true),
  ]);
  const jobs: PersonJob[] = [];
  for (const [index, runId] of ids.entries()) {
    const state = states[index];
    if (state === "active") jobs.push({ runId, state: "running" });
    else if (state === "waiting" || state === "prioritized" || state === "delayed") {
      const position = waiting.indexOf(runId);
      jobs.push({ runId, state: "queued", ...(position >= 0 ? { position } : {}) });
    }
  }
  return jobs.sort((a, b) => rank(a) - rank(b));
}

/** Running jobs first, then the queued ones by position. */
const rank = (job: PersonJob) => (job.state === "running" ? -1 : (job.position ?? Number.MAX_SAFE_INTEGER));
