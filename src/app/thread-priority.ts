import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * How much lower than the gateway `npm start`'s worker thread runs (a nice value, 0–19). Both share the cores:
 * a burst's acknowledgements are due within Discord's 3 s, while a job's step waiting a little longer for a core
 * is not seen. At 10 the gateway gets about nine tenths of a core the two contend for. Measured with every core
 * busy (BENCHMARKS.md): at 4 a burst's ack p99 came to 0.7–2.1 s, at 10 and 19 to 0.3–0.5 s; at 10 a partial's
 * edit waits 100 ms for its 40 ms floor where at 0 it waited 60 ms.
 */
export const WORKER_THREAD_NICENESS = 10;

/**
 * Lowers the calling thread's scheduling priority, and only its own: Linux applies `setpriority` to the thread
 * whose id it is given, found through `/proc/thread-self`. Raising it back needs privileges, so this is one way.
 * @returns false where the system offers no thread's own id (not Linux), so nothing was changed.
 */
export function lowerThisThreadPriority(niceness: number): boolean {
  let threadId: number;
  try {
    threadId = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
  } catch {
    return false;
  }
  if (!Number.isSafeInteger(threadId)) return false;
  setPriority(threadId, niceness);
  return true;
}
