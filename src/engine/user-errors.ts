import type { EngineErrorCode } from "../core/error-codes.js";
import { UserError } from "../core/errors.js";
import { optional } from "./optional.js";

/** The codes the engine throws, with their kinds, are listed in `ENGINE_ERROR_CODES` (src/core/error-codes.ts). */
export { ENGINE_ERROR_CODES, type EngineErrorCode } from "../core/error-codes.js";

type Details = Record<string, unknown>;

const VERIFY_URL = "https://platform.openai.com/settings/organization/general";
const BILLING_URL = "https://platform.openai.com/settings/organization/billing";

function refused(code: EngineErrorCode, message: string, details: Details, cause: unknown): UserError {
  return new UserError(code, "refused", message, { details, cause });
}

/** A 400 (or 404/422): OpenAI's own sentence says what was wrong, so it is passed on. */
export function badRequestError(message: string, details: Details, cause: unknown): UserError {
  return refused("openai_bad_request", `OpenAI rejected the request: ${message}`, details, cause);
}

/** A 401. OpenAI's message echoes part of the key, so it stays out of the details. */
export function authError(details: Details, cause: unknown): UserError {
  return refused(
    "openai_auth",
    "OpenAI rejected the bot's API key (401): it is invalid or revoked. The operator needs to set a valid key.",
    details,
    cause,
  );
}

/** A 403: on gpt-image models this is nearly always an organisation that has not been verified. */
export function forbiddenError(openaiMessage: string, details: Details, cause: unknown): UserError {
  return refused(
    "openai_forbidden",
    `OpenAI refused access (403). gpt-image models need a verified organisation; the operator can verify it at ${VERIFY_URL}.`,
    { ...details, openaiMessage },
    cause,
  );
}

/** 429 `insufficient_quota`: a billing wall, not a rate limit; waiting will not lift it. */
export function quotaError(details: Details, cause: unknown): UserError {
  return refused(
    "insufficient_quota",
    `The bot's OpenAI account has run out of credit (insufficient_quota). The operator needs to check billing at ${BILLING_URL}.`,
    details,
    cause,
  );
}

/**
 * `input`: the prompt or input images were flagged before generation; `output`: the generated image was.
 * Anything else (absent, `unknown`) gets the neutral wording.
 */
export function moderationError(stage: string | undefined, details: Details, cause?: unknown): UserError {
  const all = { ...details, ...optional("moderationStage", stage) };
  if (stage === "input") {
    return refused(
      "moderation_blocked_input",
      "OpenAI's safety system blocked this request: the prompt or the input images were flagged. Try rewording the prompt or using other images.",
      all,
      cause,
    );
  }
  if (stage === "output") {
    return refused(
      "moderation_blocked_output",
      "OpenAI's safety system blocked the generated image after it was made. Try a different prompt.",
      all,
      cause,
    );
  }
  return refused(
    "moderation_blocked",
    "OpenAI's safety system blocked this request. Try rewording the prompt or using other images.",
    all,
    cause,
  );
}

/** The model answered (Responses API) but produced no image, e.g. it declined in text. */
export function noImageError(text: string, details: Details): UserError {
  const said = text.trim() === "" ? "" : `: “${text.trim()}”`;
  return refused("openai_no_image", `OpenAI answered without an image${said}`, details, undefined);
}

/** Every attempt failed; `rateLimited` when the last failure was a 429. */
export function exhaustedError(
  rateLimited: boolean,
  attempts: number,
  details: Details,
  cause: unknown,
): UserError {
  const tries = attempts === 1 ? "once" : `${attempts} times`;
  const options = { details: { ...details, attempts }, cause };
  if (rateLimited) {
    return new UserError(
      "openai_rate_limited",
      "unavailable",
      `OpenAI is rate-limiting the bot right now; we tried ${tries}. Please try again in a minute.`,
      options,
    );
  }
  return new UserError(
    "openai_unavailable",
    "unavailable",
    `OpenAI could not be reached or kept failing; we tried ${tries}. Please try again later.`,
    options,
  );
}
