import { formatCost } from "../budget/job-cost.js";
import { type UserError, userError } from "../core/errors.js";

/** The reason a worker gives the jobs it cancels when it is told to stop twice (a second SIGTERM). */
export const WORKER_STOPPING = "the worker was told to stop twice";

/**
 * Why an aborted job ended, said to the person: their own cancel, or the bot being stopped (with what was paid
 * before the image was asked for, `paid` microdollars, when that was anything).
 */
export function cancelledError(reason: unknown, cause: unknown, paid = 0): UserError {
  if (reason === WORKER_STOPPING) {
    if (paid > 0)
      return userError("worker_stopped_charged", { cost: formatCost({ microdollars: paid }) }, { cause });
    return userError("worker_stopped", { cause });
  }
  return userError("cancelled", { cause });
}
