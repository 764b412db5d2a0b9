import type { ImagineQueue } from "../../src/queue/imagine-queue.js";
import { WAIT_TIMEOUT_MS, waitFor } from "./wait-for.js";

/**
 * Waits until no job is waiting, running or due for a retry: every call a job makes (a frame deleted after the
 * result, a slot freed) has then reached the fakes. Called before a test resets the fakes' records, so nothing
 * a previous test set off lands in the next one's.
 */
export async function queueIdle(queue: ImagineQueue, timeoutMs = 2 * WAIT_TIMEOUT_MS): Promise<void> {
  await waitFor(
    "every job in the queue to finish",
    async () => {
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      return Object.values(counts).every((count) => count === 0);
    },
    timeoutMs,
  );
}
