import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/**
 * How much lower than the gateway `npm start`'s worker thread runs its JavaScript (a nice value, 0–19). Both
 * share the cores: a burst's acknowledgements are due within Discord's 3 s, while a job's step waiting a little
 * longer for a core is not seen. At 10 the gateway gets about nine tenths of a core the two contend for.
 * Measured with every core busy (BENCHMARKS.md): at 4 a burst's ack p99 came to 0.7–2.1 s, at 10 and 19 to
 * 0.3–0.5 s; at 10 a partial's edit waits 100 ms for its 40 ms floor where at 0 it waited 60 ms. The pixels
 * (sharp) are worked on libuv's pool, which the two threads share at the gateway's priority (`worker-in-thread.ts`).
 */
export const WORKER_THREAD_NICENESS = 10;

/** What `lowerThisThreadPriority` did. */
export type Lowering = "lowered" | "already-lower" | "no-thread-ids" | { refused: string };

/**
 * Lowers the calling thread's scheduling priority, and only its own: Linux applies `setpriority` to the thread
 * whose id it is given, found through `/proc/thread-self`. One way: raising it back needs privileges. A thread
 * already lower (a process started under `nice -n 15`) is left as it is, and a refusal is reported, not thrown.
 */
export function lowerThisThreadPriority(niceness: number): Lowering {
  let threadId: number;
  try {
    threadId = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
  } catch {
    return "no-thread-ids";
  }
  if (!Number.isSafeInteger(threadId)) return "no-thread-ids";
  try {
    if (getPriority(threadId) >= niceness) return "already-lower";
    setPriority(threadId, niceness);
    return "lowered";
  } catch (error) {
    return { refused: error instanceof Error ? error.message : String(error) };
  }
}
