import { type UserError, userError } from "../core/errors.js";
import { optional } from "./optional.js";

/** The codes the engine throws, with their kinds and sentences, are in src/core/error-table/engine.ts. */
export { ENGINE_ERROR_CODES } from "../core/error-codes.js";

type Details = Record<string, unknown>;

/** A 400 (or 404/422): OpenAI's own sentence says what was wrong, so it is passed on. */
export function badRequestError(message: string, details: Details, cause: unknown): UserError {
  return userError("openai_bad_request", { openaiMessage: message }, { details, cause });
}

/** A 401. OpenAI's message echoes part of the key, so it stays out of the details. */
export function authError(details: Details, cause: unknown): UserError {
  return userError("openai_auth", { details, cause });
}

/** A 403: on gpt-image models this is nearly always an organisation that has not been verified. */
export function forbiddenError(openaiMessage: string, details: Details, cause: unknown): UserError {
  return userError("openai_forbidden", { details: { ...details, openaiMessage }, cause });
}

/** 429 `insufficient_quota`: a billing wall, not a rate limit; waiting will not lift it. */
export function quotaError(details: Details, cause: unknown): UserError {
  return userError("insufficient_quota", { details, cause });
}

/**
 * `input`: the prompt or input images were flagged before generation; `output`: the generated image was.
 * Anything else (absent, `unknown`) gets the neutral wording.
 */
export function moderationError(stage: string | undefined, details: Details, cause?: unknown): UserError {
  const options = { details: { ...details, ...optional("moderationStage", stage) }, cause };
  if (stage === "input") return userError("moderation_blocked_input", options);
  if (stage === "output") return userError("moderation_blocked_output", options);
  return userError("moderation_blocked", options);
}

/** The model answered (Responses API) but produced no image, e.g. it declined in text. */
export function noImageError(text: string, details: Details): UserError {
  return userError("openai_no_image", { text }, { details });
}

/** Every attempt failed; `rateLimited` when the last failure was a 429. */
export function exhaustedError(
  rateLimited: boolean,
  attempts: number,
  details: Details,
  cause: unknown,
): UserError {
  const options = { details: { ...details, attempts }, cause };
  return userError(rateLimited ? "openai_rate_limited" : "openai_unavailable", { attempts }, options);
}
