import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * How much lower than the gateway `npm start`'s worker thread runs (a nice value, 0–19). Both share the cores:
 * a burst's acknowledgements are due within Discord's 3 s, and a partial is best shown at once. 4 gives the
 * gateway about seven tenths of a core the two contend for. Measured with every core busy (BENCHMARKS.md): at
 * 0 a burst's acks took 4.5x the bare bot's, at 10 a partial's edit took 2.5–3x its floor; at 4 both held.
 */
export const WORKER_THREAD_NICENESS = 4;

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
