import type { ErrorGroup } from "./entry.js";

/** `asUserError` (src/core/errors.ts): anything that is not a `UserError`, and codes this release does not know. */
export const INTERNAL_ERRORS = {
  // The failure is ours, not theirs; the log has the cause.
  internal_error: { kind: "unavailable", sentence: "Something went wrong on our side; please try again." },
} as const satisfies ErrorGroup;
