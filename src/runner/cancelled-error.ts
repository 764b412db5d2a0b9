import { type UserError, userError } from "../core/errors.js";

/** The reason a worker gives the jobs it cancels when it is told to stop twice (a second SIGTERM). */
export const WORKER_STOPPING = "the worker was told to stop twice";

/** Why an aborted job ended, said to the person: their own cancel, or the bot being stopped. */
export function cancelledError(reason: unknown, cause: unknown): UserError {
  if (reason === WORKER_STOPPING) {
    return userError("worker_stopped", { cause });
  }
  return userError("cancelled", { cause });
}
