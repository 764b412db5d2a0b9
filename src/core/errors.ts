import { isUserErrorCode, type UserErrorCode } from "./error-codes.js";

/**
 * Every failure a person can see is a `UserError`: a stable `code` for tests, logs and metrics, and one
 * sentence written for the person who typed the command. Adapters render `message` as it is.
 */

/**
 * - `invalid_input`: the request itself is wrong (bad option, bad file); nothing was sent to OpenAI.
 * - `refused`: OpenAI answered and said no (moderation, quota, auth, a 400); retrying will not help.
 * - `unavailable`: OpenAI could not be reached or kept failing after our retries.
 */
export type UserErrorKind = "invalid_input" | "refused" | "unavailable";

export interface UserErrorOptions {
  /** Machine-readable details for logs and the Details view (never secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class UserError extends Error {
  override readonly name = "UserError";
  readonly details: Record<string, unknown>;

  constructor(
    readonly code: UserErrorCode,
    readonly kind: UserErrorKind,
    message: string,
    options: UserErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? {};
  }

  /** Plain data that survives JSON (BullMQ failure reasons, progress events, the run's metadata). */
  toJSON(): SerializedUserError {
    return { code: this.code, kind: this.kind, message: this.message, details: this.details };
  }

  /**
   * Back from JSON, which may come from another release: a code this release does not know becomes
   * `internal_error` (the person still sees the stored message; `details.storedCode` keeps the original),
   * and an unknown kind becomes `unavailable`.
   */
  static fromJSON(data: SerializedUserError): UserError {
    const kind = USER_ERROR_KINDS.has(data.kind) ? data.kind : "unavailable";
    const { code, message } = data;
    const details = data.details ?? {};
    if (isUserErrorCode(code)) return new UserError(code, kind, message, { details });
    return new UserError("internal_error", kind, message, { details: { ...details, storedCode: code } });
  }
}

const USER_ERROR_KINDS: ReadonlySet<string> = new Set<UserErrorKind>([
  "invalid_input",
  "refused",
  "unavailable",
]);

/**
 * A `UserError` as plain data. `code` is a string, not `UserErrorCode`: stored data may come from another
 * release; `UserError.fromJSON` checks it.
 */
export interface SerializedUserError {
  code: string;
  kind: UserErrorKind;
  message: string;
  details: Record<string, unknown>;
}

/** Shorthand for the commonest case: the request is wrong and nothing was spent. */
export function invalidInput(
  code: UserErrorCode,
  message: string,
  details?: Record<string, unknown>,
): UserError {
  return new UserError(code, "invalid_input", message, details === undefined ? {} : { details });
}

/** What an error says, in one line for a person or a log: its message, or the thrown value itself. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isUserError(value: unknown): value is UserError {
  return value instanceof UserError;
}

/** What a person is told when the failure is ours, not theirs; the log has the cause. */
export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side; please try again.";

/**
 * A failure as the person sees it: their `UserError` as it is; anything else (a bug, a platform, storage or
 * Redis failure) becomes `internal_error` with the original as its `cause`, for the log.
 */
export function asUserError(error: unknown): UserError {
  if (error instanceof UserError) return error;
  return new UserError("internal_error", "unavailable", INTERNAL_ERROR_MESSAGE, { cause: error });
}
