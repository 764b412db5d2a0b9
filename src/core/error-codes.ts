import { ACCESS_ERRORS } from "./error-table/access.js";
import { BLEND_ERRORS } from "./error-table/blend.js";
import { BUDGET_ERRORS } from "./error-table/budget.js";
import { CLI_ERRORS } from "./error-table/cli.js";
import { DOWNLOAD_ERRORS } from "./error-table/download.js";
import { ENGINE_ERRORS } from "./error-table/engine.js";
import type { ErrorEntry, ErrorGroup } from "./error-table/entry.js";
import { FLAG_TEXT_ERRORS } from "./error-table/flag-text.js";
import { HISTORY_ERRORS } from "./error-table/history.js";
import { IMAGE_ACTION_ERRORS } from "./error-table/image-action.js";
import { INPUT_ERRORS } from "./error-table/input.js";
import { INTERNAL_ERRORS } from "./error-table/internal.js";
import { LIMIT_ERRORS } from "./error-table/limit.js";
import { LINK_ERRORS } from "./error-table/link.js";
import { OPTION_ERRORS } from "./error-table/option.js";
import { REQUEST_ERRORS } from "./error-table/request.js";
import { RUN_ERRORS } from "./error-table/run.js";
import { SIGN_IN_ERRORS } from "./error-table/sign-in.js";
import { SLACK_ERRORS } from "./error-table/slack.js";
import { STORAGE_ERRORS } from "./error-table/storage.js";
import { STUDIO_ERRORS } from "./error-table/studio.js";
import { STYLE_ERRORS } from "./error-table/style.js";
import { WEB_ERRORS } from "./error-table/web.js";

/**
 * Every `UserError` code with its kind and sentence, in one closed table: a code is listed here or it cannot
 * be thrown (`userError` takes `UserErrorCode`, never a string), and its kind and words are decided here once.
 * Grouped by where they arise (src/core/error-table/, one file per group); a code, once shipped, keeps its
 * meaning. A code sits in two groups only when it means the same thing in both (e.g. `image_too_large`:
 * before the download and after it), with the one entry both groups share.
 */
export const ERROR_GROUPS = {
  option: OPTION_ERRORS,
  request: REQUEST_ERRORS,
  input: INPUT_ERRORS,
  flagText: FLAG_TEXT_ERRORS,
  engine: ENGINE_ERRORS,
  limit: LIMIT_ERRORS,
  budget: BUDGET_ERRORS,
  access: ACCESS_ERRORS,
  signIn: SIGN_IN_ERRORS,
  download: DOWNLOAD_ERRORS,
  run: RUN_ERRORS,
  history: HISTORY_ERRORS,
  imageAction: IMAGE_ACTION_ERRORS,
  storage: STORAGE_ERRORS,
  studio: STUDIO_ERRORS,
  link: LINK_ERRORS,
  style: STYLE_ERRORS,
  slack: SLACK_ERRORS,
  web: WEB_ERRORS,
  cli: CLI_ERRORS,
  blend: BLEND_ERRORS,
  internal: INTERNAL_ERRORS,
} as const;

export const USER_ERRORS = {
  ...OPTION_ERRORS,
  ...REQUEST_ERRORS,
  ...INPUT_ERRORS,
  ...FLAG_TEXT_ERRORS,
  ...ENGINE_ERRORS,
  ...LIMIT_ERRORS,
  ...BUDGET_ERRORS,
  ...ACCESS_ERRORS,
  ...SIGN_IN_ERRORS,
  ...DOWNLOAD_ERRORS,
  ...RUN_ERRORS,
  ...HISTORY_ERRORS,
  ...IMAGE_ACTION_ERRORS,
  ...STORAGE_ERRORS,
  ...STUDIO_ERRORS,
  ...LINK_ERRORS,
  ...STYLE_ERRORS,
  ...SLACK_ERRORS,
  ...WEB_ERRORS,
  ...CLI_ERRORS,
  ...BLEND_ERRORS,
  ...INTERNAL_ERRORS,
} as const satisfies ErrorGroup;

/** Every code a `UserError` can carry. */
export type UserErrorCode = keyof typeof USER_ERRORS;

const codesOf = <G extends ErrorGroup>(group: G) => Object.keys(group) as (keyof G & string)[];

function codesByGroup<T extends Record<string, ErrorGroup>>(groups: T) {
  const codes = {} as { [G in keyof T]: readonly (keyof T[G] & string)[] };
  for (const name in groups) codes[name] = codesOf(groups[name] as T[typeof name]);
  return codes;
}

/** Each group's codes by name, for tests and docs. */
export const ERROR_CODE_GROUPS = codesByGroup(ERROR_GROUPS);

export const OPTION_ERROR_CODES = ERROR_CODE_GROUPS.option;
export const REQUEST_ERROR_CODES = ERROR_CODE_GROUPS.request;
export const ENGINE_ERROR_CODES = ERROR_CODE_GROUPS.engine;

/** Option, request and input codes, without duplicates. */
export const VALIDATION_ERROR_CODES: readonly UserErrorCode[] = [
  ...new Set([...OPTION_ERROR_CODES, ...REQUEST_ERROR_CODES, ...ERROR_CODE_GROUPS.input]),
];

/** Every code of every group, without duplicates. */
export const USER_ERROR_CODES: readonly UserErrorCode[] = codesOf(USER_ERRORS);

/** For data read back from JSON (BullMQ, a run's metadata), which may come from another release. */
export function isUserErrorCode(value: unknown): value is UserErrorCode {
  return typeof value === "string" && Object.hasOwn(USER_ERRORS, value);
}

/** A code's kind and sentence. */
export function errorEntry(code: UserErrorCode): ErrorEntry {
  return USER_ERRORS[code];
}
