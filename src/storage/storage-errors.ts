import { userError } from "../core/errors.js";
import { InvalidStorageKeyError } from "./blob-store.js";

/**
 * A write to run storage failed: the disk is full or read-only, the store unreachable. Thrown where nothing
 * has been paid yet (the intake storing inputs, the worker's first write of a job), so the sentence can
 * promise that; writes after OpenAI was paid are caught by the worker, which delivers from memory instead.
 * An unsafe key is our bug, not the disk's, and stays what it is.
 */
export function storageWriteFailed(cause: unknown): Error {
  if (cause instanceof InvalidStorageKeyError) return cause;
  return userError("storage_unavailable", { cause });
}
