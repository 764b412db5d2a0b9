import type { JobQueues } from "../../src/queue/imagine-queue.js";
import { WAIT_TIMEOUT_MS, waitFor } from "./wait-for.js";

/**
 * Waits until no job is waiting, running or due for a retry in any of the queues: every call a job makes (a
 * frame deleted after the result, a slot freed) has then reached the fakes. Called before a test resets the
 * fakes' records, so nothing a previous test set off lands in the next one's.
 */
export async function queueIdle(queues: JobQueues, timeoutMs = 2 * WAIT_TIMEOUT_MS): Promise<void> {
  await waitFor(
    "every job in the queues to finish",
    async () => {
      const counts = await Promise.all(
        queues.all.map((queue) => queue.getJobCounts("waiting", "active", "delayed", "prioritized")),
      );
      return counts.flatMap((count) => Object.values(count)).every((count) => count === 0);
    },
    timeoutMs,
  );
}
