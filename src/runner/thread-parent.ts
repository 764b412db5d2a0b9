import { userError } from "../core/errors.js";
import type { ThreadRef } from "../core/job-spec.js";
import type { ThreadStore, ThreadTurn } from "../stores/threads.js";

/**
 * The turn a job continues: the one it names (a branch), none when it starts from the root, or the thread's
 * latest turn when it runs, so two messages typed in a row chain one after the other. No thread, or an empty
 * one, starts a new chain.
 */
export async function resolveThreadParent(
  threads: ThreadStore,
  thread: ThreadRef | undefined,
): Promise<ThreadTurn | undefined> {
  if (thread === undefined || thread.fromRoot) return undefined;
  if (thread.parentJobId === undefined) return threads.latest(thread);
  const turn = await threads.find(thread, { jobId: thread.parentJobId });
  if (turn === undefined) {
    throw userError("thread_turn_expired");
  }
  return turn;
}
