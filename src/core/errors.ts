import { errorEntry, isUserErrorCode, type USER_ERRORS, type UserErrorCode } from "./error-codes.js";
import { USER_ERROR_KINDS, type UserErrorKind } from "./error-table/entry.js";

export type { UserErrorKind } from "./error-table/entry.js";

/**
 * Every failure a person can see is a `UserError`: a stable `code` for tests, logs and metrics, its kind, and
 * one sentence written for the person who typed the command, both from the code's entry in the table
 * (error-codes.ts). Adapters render `message` as it is.
 */

export interface UserErrorOptions {
  /** Machine-readable details for logs and the Details view (never secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

type Sentence<C extends UserErrorCode> = (typeof USER_ERRORS)[C]["sentence"];

/** The values a code's sentence quotes; for a union of codes, values that fit every one of them. */
export type SentenceParams<C extends UserErrorCode> =
  Sentence<C> extends (params: infer P) => string ? P : never;

/** What follows the code: the values its sentence quotes, if any, then details and cause. */
export type UserErrorArgs<C extends UserErrorCode> =
  Sentence<C> extends string
    ? [options?: UserErrorOptions]
    : [params: SentenceParams<C>, options?: UserErrorOptions];

/** This module's alone: a `UserError` is made by `userError` or `fromJSON`, its kind and sentence from the table. */
const FROM_TABLE: unique symbol = Symbol("UserError");

export class UserError extends Error {
  override readonly name = "UserError";
  readonly details: Record<string, unknown>;

  constructor(
    _from: typeof FROM_TABLE,
    readonly code: UserErrorCode,
    readonly kind: UserErrorKind,
    message: string,
    options: UserErrorOptions,
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? {};
  }

  /** Plain data that survives JSON (BullMQ failure reasons, progress events, the run's metadata). */
  toJSON(): SerializedUserError {
    return { code: this.code, kind: this.kind, message: this.message, details: this.details };
  }

  /**
   * Back from JSON, which may come from another release. The stored message stays: it is what the person was
   * told, and the values its sentence quoted are not stored. A known code takes the table's kind, not the
   * stored one, which an older release may have got wrong. A code this release does not know becomes
   * `internal_error` (`details.storedCode` keeps the original) with the stored kind, the only word left on
   * what it was; an unknown kind there becomes `unavailable`.
   */
  static fromJSON(data: SerializedUserError): UserError {
    const { code, message } = data;
    const details = data.details ?? {};
    if (isUserErrorCode(code))
      return new UserError(FROM_TABLE, code, errorEntry(code).kind, message, { details });
    const kind = USER_ERROR_KINDS.has(data.kind) ? data.kind : "unavailable";
    return new UserError(FROM_TABLE, "internal_error", kind, message, {
      details: { ...details, storedCode: code },
    });
  }
}

/**
 * The one way to make a `UserError`: the code, and the values its sentence quotes when it quotes any, e.g.
 * `userError("gif_size", { size }, { details: { size } })`. The compiler checks the values against the table.
 */
export function userError<C extends UserErrorCode>(code: C, ...args: UserErrorArgs<C>): UserError {
  const { kind, sentence } = errorEntry(code);
  const [first, second] = args as unknown[];
  if (typeof sentence === "string")
    return new UserError(FROM_TABLE, code, kind, sentence, (first as UserErrorOptions) ?? {});
  const message = (sentence as (params: unknown) => string)(first);
  return new UserError(FROM_TABLE, code, kind, message, (second as UserErrorOptions | undefined) ?? {});
}

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

/** What an error says, in one line for a person or a log: its message, or the thrown value itself. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isUserError(value: unknown): value is UserError {
  return value instanceof UserError;
}

/**
 * A failure as the person sees it: their `UserError` as it is; anything else (a bug, a platform, storage or
 * Redis failure) becomes `internal_error` with the original as its `cause`, for the log.
 */
export function asUserError(error: unknown): UserError {
  if (error instanceof UserError) return error;
  return userError("internal_error", { cause: error });
}
