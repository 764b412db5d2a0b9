import { APIConnectionError, APIError, APIUserAbortError } from "openai";
import { UserError } from "../core/errors.js";
import { optional } from "./optional.js";
import { abortReason, retryAfterFromHeaders } from "./retry.js";
import {
  authError,
  badRequestError,
  exhaustedError,
  forbiddenError,
  moderationError,
  quotaError,
} from "./user-errors.js";

/**
 * A stream that broke before it delivered its result: the connection dropped, the body was cut, or the
 * server closed it without a completion event. Nothing usable arrived, so the call is safe to start over.
 */
export class StreamCutError extends Error {
  override readonly name = "StreamCutError";
  constructor(
    message: string,
    readonly requestId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A Responses API call that ended in `response.failed` (or a failed image call) rather than an HTTP error. */
export class ResponseFailedError extends Error {
  override readonly name = "ResponseFailedError";
  constructor(
    readonly code: string | null,
    message: string,
    readonly requestId?: string,
    /** `moderation_details.moderation_stage` when OpenAI said where moderation stopped it. */
    readonly moderationStage?: string,
  ) {
    super(message);
  }
}

/** Why a failure deserves another attempt; decides the error once the attempts run out. */
export type RetryReason = "rate_limited" | "server_error" | "connection" | "stream_cut";

/** What to do about one failed attempt. Decided once, here, so every mode treats failures alike. */
export type Verdict =
  | { action: "abort"; error: Error }
  | {
      action: "retry";
      reason: RetryReason;
      retryAfterMs?: number;
      /** For logs and, when attempts run out, the `UserError`'s details. */
      details: Record<string, unknown>;
      cause: unknown;
    }
  /** `error` is a `UserError`, or a bug of ours rethrown as it is. */
  | { action: "fail"; error: unknown };

/** Codes OpenAI puts in SSE `error` events and failed responses that mean "try again later". */
const TRANSIENT_CODES = new Set([
  "server_error",
  "rate_limit_exceeded",
  "internal_error",
  "service_unavailable",
]);

/**
 * Classifies one failed attempt. `signal` is the caller's: once it has aborted, every failure is the abort
 * (the SDK may report it as a user abort, a cut stream or nothing at all).
 */
export function classifyError(error: unknown, signal?: AbortSignal): Verdict {
  if (signal?.aborted) return { action: "abort", error: abortReason(signal) };
  if (error instanceof UserError) return { action: "fail", error };
  // The SDK wraps what a token provider throws (Entra ID without its package) in an OpenAIError of its own.
  if (error instanceof Error && error.cause instanceof UserError)
    return { action: "fail", error: error.cause };
  if (error instanceof StreamCutError) {
    return {
      action: "retry",
      reason: "stream_cut",
      details: withRequestId({}, error.requestId),
      cause: error,
    };
  }
  if (error instanceof ResponseFailedError)
    return classifyCode(error.code, error.message, error, error.requestId, error.moderationStage);
  // An SDK abort the caller did not ask for is not ours to paper over.
  if (error instanceof APIUserAbortError) return { action: "fail", error };
  // Timeouts are a subclass of connection errors.
  if (error instanceof APIConnectionError) {
    return { action: "retry", reason: "connection", details: { message: error.message }, cause: error };
  }
  if (error instanceof APIError) return classifyApiError(error);
  return { action: "fail", error };
}

function classifyApiError(error: APIError): Verdict {
  const body = asRecord(error.error);
  const message = typeof body.message === "string" ? body.message : error.message;
  const requestId = error.requestID ?? undefined;
  const details = withRequestId(
    {
      status: error.status,
      openaiCode: error.code ?? undefined,
      openaiType: error.type,
      param: error.param ?? undefined,
    },
    requestId,
  );
  if (error.code === "moderation_blocked")
    return { action: "fail", error: moderationError(moderationStage(body), details, error) };
  switch (error.status) {
    // No status: an `error` event inside an SSE stream; its code says what happened.
    case undefined:
      return classifyCode(error.code ?? null, message, error, requestId, moderationStage(body));
    case 400:
    case 404:
    case 422:
      return { action: "fail", error: badRequestError(message, details, error) };
    case 401:
      return { action: "fail", error: authError(details, error) };
    case 403:
      return { action: "fail", error: forbiddenError(message, details, error) };
    case 429:
      if (error.code === "insufficient_quota") return { action: "fail", error: quotaError(details, error) };
      return {
        action: "retry",
        reason: "rate_limited",
        ...optional("retryAfterMs", retryAfterFromHeaders(error.headers)),
        details,
        cause: error,
      };
    default:
      // 408 and 409 are OpenAI's own "try again" statuses (the SDK retries them too); 5xx is theirs to fix.
      if (error.status === 408 || error.status === 409 || error.status >= 500) {
        return { action: "retry", reason: "server_error", details, cause: error };
      }
      return { action: "fail", error: badRequestError(message, details, error) };
  }
}

/** Failures that arrive as a code without an HTTP status: SSE `error` events and `response.failed`. */
function classifyCode(
  code: string | null,
  message: string,
  cause: unknown,
  requestId: string | undefined,
  stage: string | undefined,
): Verdict {
  const details = withRequestId({ openaiCode: code ?? undefined }, requestId);
  if (code === "moderation_blocked") return { action: "fail", error: moderationError(stage, details, cause) };
  // The Responses API's name for a flagged input image.
  if (code === "image_content_policy_violation") {
    return { action: "fail", error: moderationError(stage ?? "input", details, cause) };
  }
  if (code === "insufficient_quota") return { action: "fail", error: quotaError(details, cause) };
  if (code === null || TRANSIENT_CODES.has(code)) {
    const reason = code === "rate_limit_exceeded" ? "rate_limited" : "server_error";
    return { action: "retry", reason, details: { ...details, message }, cause };
  }
  return { action: "fail", error: badRequestError(message, details, cause) };
}

/**
 * An `error` event inside an SSE stream (moderation, an invalid request): the SDK's `APIError` without a status,
 * which a broken connection or an abort (subclasses without one either) is not.
 */
export function isStreamErrorEvent(error: unknown): boolean {
  return (
    error instanceof APIError &&
    error.status === undefined &&
    !(error instanceof APIConnectionError) &&
    !(error instanceof APIUserAbortError)
  );
}

/** The error once every attempt has failed; `verdict` is the last attempt's. */
export function exhaustedVerdictError(
  verdict: Extract<Verdict, { action: "retry" }>,
  attempts: number,
): UserError {
  const details = { ...verdict.details, reason: verdict.reason };
  return exhaustedError(verdict.reason === "rate_limited", attempts, details, verdict.cause);
}

/**
 * Where moderation stopped the request. The Responses API reports `moderation_details.moderation_stage`;
 * Images API bodies have carried the stage in a few places, so every known one is read.
 */
function moderationStage(body: Record<string, unknown>): string | undefined {
  const details = asRecord(body.moderation_details);
  const stage = details.moderation_stage ?? body.moderation_stage ?? body.stage;
  return typeof stage === "string" ? stage : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function withRequestId(
  details: Record<string, unknown>,
  requestId: string | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) if (value !== undefined) out[key] = value;
  if (requestId) out.requestId = requestId;
  return out;
}
