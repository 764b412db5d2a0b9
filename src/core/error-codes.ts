/**
 * Every `UserError` code, in one closed union: a code is listed here or it cannot be thrown (the
 * `UserError` constructor and `invalidInput` take `UserErrorCode`, never a string), so codes cannot drift.
 * Grouped by where they arise; a code, once shipped, keeps its meaning. A code may sit in two groups only
 * when it means the same thing in both (e.g. `image_too_large`: before the download and after it).
 */

/** `parseImagineOptions` and `parseFlagText`: raw values from Discord, Slack flags or the CLI. */
export const OPTION_ERROR_CODES = ["invalid_option", "unknown_option", "missing_option"] as const;

/** `resolveRequest`: the request as a whole, against the model's capabilities. */
export const REQUEST_ERROR_CODES = [
  "invalid_option",
  "prompt_empty",
  "prompt_too_long",
  "unknown_model",
  "model_retired",
  "size_invalid",
  "size_not_multiple_of_16",
  "size_too_large",
  "size_aspect_ratio",
  "size_pixels_out_of_range",
  "size_not_supported",
  "quality_not_supported",
  "n_out_of_range",
  "partials_out_of_range",
  "partials_without_streaming",
  "compression_out_of_range",
  "compression_needs_jpeg_or_webp",
  "transparent_needs_png_or_webp",
  "transparent_not_supported",
  "format_not_supported",
  "frames_out_of_range",
  "frame_ms_out_of_range",
  "frames_need_gif",
  "gif_with_mask",
  "gif_size",
  "svg_single_image",
  "svg_generate_only",
  "mask_needs_image",
  "too_many_images",
  "fidelity_not_supported",
  "fidelity_needs_image",
  "complexity_not_supported",
  "moderation_not_supported_for_edits",
  "responses_single_image",
] as const;

/** `prepareInputs` (src/media): the bytes of input images and the mask. */
export const INPUT_ERROR_CODES = [
  "too_many_images",
  "mask_needs_image",
  "image_too_large",
  "image_unreadable",
  "image_corrupt",
  "image_too_many_pixels",
  "image_format_unsupported",
  "image_animated",
  "mask_unreadable",
  "mask_corrupt",
  "mask_too_many_pixels",
  "mask_format_unsupported",
  "mask_size_mismatch",
  "mask_not_greyscale",
  "mask_empty",
  "mask_too_large",
] as const;

/** `parseFlagText` (commands/flag-text.ts): flags typed as text, in Slack. */
export const FLAG_TEXT_ERROR_CODES = ["missing_flag_value", "prompt_twice"] as const;

/**
 * The engine (src/engine/user-errors.ts). `refused` (OpenAI said no; retrying will not help):
 * `openai_bad_request`, the `moderation_blocked*` codes, `insufficient_quota`, `openai_auth`,
 * `openai_forbidden`, `openai_no_image`; `unavailable` (our retries ran out): `openai_rate_limited`,
 * `openai_unavailable`.
 */
export const ENGINE_ERROR_CODES = [
  "openai_bad_request",
  "moderation_blocked_input",
  "moderation_blocked_output",
  "moderation_blocked",
  "insufficient_quota",
  "openai_auth",
  "openai_forbidden",
  "openai_no_image",
  "openai_rate_limited",
  "openai_unavailable",
] as const;

/** `UserLimits.acquire` (src/stores/user-limits.ts): a person's active jobs and daily images. */
export const LIMIT_ERROR_CODES = ["too_many_active_jobs", "daily_limit_reached"] as const;

/**
 * `BudgetLedger.reserve` (src/budget/ledger.ts): a dollar or image budget without room for the request; and
 * `/usage set` (src/budget/budget-names.ts): an unknown budget, a bad value, no server, not an admin.
 */
export const BUDGET_ERROR_CODES = [
  "budget_exceeded",
  "budget_unknown",
  "budget_value_invalid",
  "budget_needs_server",
  "budget_admin_only",
] as const;

/** `requireAccess` (src/access/access-list.ts): the operator's access lists leave this place or person out. */
export const ACCESS_ERROR_CODES = ["not_enabled_here"] as const;

/** `cappedFetch` (src/media/capped-fetch.ts) and the platforms' download policies: shared files fetched. */
export const DOWNLOAD_ERROR_CODES = [
  "image_too_large",
  "attachment_download_failed",
  "attachment_download_timed_out",
  "attachment_host_refused",
] as const;

/** The queue (src/queue): follow-ups of a stored run, thread turns, a job cancelled or not delivered. */
export const RUN_ERROR_CODES = [
  "run_not_found",
  "run_has_no_image",
  "thread_turn_expired",
  "cancelled",
  "delivery_failed",
  "worker_lost",
  "worker_stopped",
  "button_unknown",
  "button_elsewhere",
] as const;

/** Run storage (src/storage): the disk or store is full, read-only or failing, before anything was paid. */
export const STORAGE_ERROR_CODES = ["storage_unavailable"] as const;

/** The Slack adapter (src/platforms/slack): hosts, files, typed flags, the Edit image shortcut. */
export const SLACK_ERROR_CODES = [
  "slack_foreign_host",
  "slack_file_unreadable",
  "slack_flag_needs_file",
  "no_image_to_edit",
] as const;

/** The CLI (src/cli): its arguments, input files, output folder and Redis. */
export const CLI_ERROR_CODES = [
  "invalid_flag",
  "unknown_flag",
  "thread_needs_responses",
  "thread_needs_redis",
  "unreadable_file",
  "out_unusable",
  "usage_needs_redis",
] as const;

/** `asUserError` (src/core/errors.ts): anything that is not a `UserError`, and codes this release does not know. */
export const INTERNAL_ERROR_CODES = ["internal_error"] as const;

/** Each group by name, for tests and docs. */
export const ERROR_CODE_GROUPS = {
  option: OPTION_ERROR_CODES,
  request: REQUEST_ERROR_CODES,
  input: INPUT_ERROR_CODES,
  flagText: FLAG_TEXT_ERROR_CODES,
  engine: ENGINE_ERROR_CODES,
  limit: LIMIT_ERROR_CODES,
  budget: BUDGET_ERROR_CODES,
  access: ACCESS_ERROR_CODES,
  download: DOWNLOAD_ERROR_CODES,
  run: RUN_ERROR_CODES,
  storage: STORAGE_ERROR_CODES,
  slack: SLACK_ERROR_CODES,
  cli: CLI_ERROR_CODES,
  internal: INTERNAL_ERROR_CODES,
} as const;

export type OptionErrorCode = (typeof OPTION_ERROR_CODES)[number];
export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];
export type InputErrorCode = (typeof INPUT_ERROR_CODES)[number];
export type ValidationErrorCode = OptionErrorCode | RequestErrorCode | InputErrorCode;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

/** Every code a `UserError` can carry. */
export type UserErrorCode = (typeof ERROR_CODE_GROUPS)[keyof typeof ERROR_CODE_GROUPS][number];

/** Option, request and input codes, without duplicates. */
export const VALIDATION_ERROR_CODES: readonly ValidationErrorCode[] = [
  ...new Set<ValidationErrorCode>([...OPTION_ERROR_CODES, ...REQUEST_ERROR_CODES, ...INPUT_ERROR_CODES]),
];

/** Every code of every group, without duplicates. */
export const USER_ERROR_CODES: readonly UserErrorCode[] = [
  ...new Set<UserErrorCode>(Object.values(ERROR_CODE_GROUPS).flat()),
];

const KNOWN: ReadonlySet<string> = new Set(USER_ERROR_CODES);

/** For data read back from JSON (BullMQ, a run's metadata), which may come from another release. */
export function isUserErrorCode(value: unknown): value is UserErrorCode {
  return typeof value === "string" && KNOWN.has(value);
}
