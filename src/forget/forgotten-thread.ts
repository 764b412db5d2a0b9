import { userError } from "../core/errors.js";
import type { ThreadAddress, ThreadStore } from "../stores/threads.js";

/**
 * A message in a thread whose history `/forget` removed gets one sentence and costs nothing: a turn there could
 * not see what it refers to, and whether it asks a question or a change only the model could tell, at a price.
 */
export async function refuseForgottenThread(threads: ThreadStore, address: ThreadAddress): Promise<void> {
  if (await threads.forgotten(address)) throw userError("thread_forgotten");
}
