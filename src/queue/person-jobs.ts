import type { PersonJob } from "../core/person-job.js";
import type { LimitedUser, UserLimits } from "../stores/user-limits.js";
import type { JobQueues } from "./imagine-queue.js";
import { findJob } from "./platform-queues.js";

/**
 * The jobs holding a person's slots that are still running or waiting, oldest first in the queue. A slot
 * whose job has already ended (its slot is freed a moment later) is left out. A job's position is in its own
 * platform's queue, as its status said when it was queued (`positionIfQueuedNow`).
 */
export async function personJobs(
  queues: JobQueues,
  limits: UserLimits,
  user: LimitedUser,
): Promise<PersonJob[]> {
  const ids = await limits.activeJobs(user);
  if (ids.length === 0) return [];
  const found = await Promise.all(ids.map((id) => findJob(queues, id)));
  const jobs = await Promise.all(
    found.map(async (job): Promise<PersonJob | undefined> => {
      if (job?.id === undefined) return undefined;
      const runId = job.id;
      const state = await job.getState();
      if (state === "active") return { runId, state: "running" };
      if (state !== "waiting" && state !== "prioritized" && state !== "delayed") return undefined;
      // Oldest first: a job's index is the number of jobs ahead of it.
      const waiting = await queues.forKind(job.data.reply.kind).getRanges(["waiting"], 0, -1, true);
      const position = waiting.indexOf(runId);
      return { runId, state: "queued", ...(position >= 0 ? { position } : {}) };
    }),
  );
  return jobs.filter((job) => job !== undefined).sort((a, b) => rank(a) - rank(b));
}

/** Running jobs first, then the queued ones by position. */
const rank = (job: PersonJob) => (job.state === "running" ? -1 : (job.position ?? Number.MAX_SAFE_INTEGER));
