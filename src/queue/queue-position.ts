import type { JobQueues } from "./imagine-queue.js";

/**
 * The position a job queued now will have: the jobs waiting ahead of it (0: next in line). Asked before
 * enqueueing, so the status that says it is written while no worker can know the job: every platform shows
 * the position before the worker's first edit, never over it. A position written after enqueueing, even
 * after checking that the job still waits, can land after that edit. Approximate under load (a job ahead
 * may start meanwhile), which is all a "queued (position n)" line needs. Jobs held back by the images-per-minute
 * limit (src/queue/image-rate.ts) are waiting too: BullMQ keeps rate-limited jobs in the waiting list, and puts
 * one it took and could not start back at its head, so they count ahead of the new job as a person expects.
 * Only the job's own queue counts (its platform's, `replyKind`): another platform's jobs are taken by other
 * workers, or by free slots of the same worker, and do not hold this one back the way its own queue does.
 */
export async function positionIfQueuedNow(queues: JobQueues, replyKind: string): Promise<number> {
  return queues.forKind(replyKind).getWaitingCount();
}
