import type { ImagineOptions } from "./imagine-options.js";
import { LIMITS } from "./limits.js";
import { mustBeOneOf, mustBeWholeNumber } from "./option-messages.js";
import {
  API_MODES,
  BACKGROUNDS,
  COMPLEXITIES,
  FIDELITIES,
  MODERATIONS,
  OUTPUT_FORMATS,
  QUALITIES,
} from "./request.js";
import { validationError } from "./validation-codes.js";

/** Closed-set options: option name as the person types it → allowed values. */
const CHOICES = {
  quality: QUALITIES,
  format: OUTPUT_FORMATS,
  background: BACKGROUNDS,
  moderation: MODERATIONS,
  api: API_MODES,
  complexity: COMPLEXITIES,
  fidelity: FIDELITIES,
} as const satisfies Partial<Record<keyof ImagineOptions, readonly string[]>>;

/** Integer options: field → option name and the range the API documents. */
const INTEGERS = {
  n: { option: "n", ...LIMITS.n },
  compression: { option: "compression", ...LIMITS.compression },
  partials: { option: "partials", ...LIMITS.partials },
  frames: { option: "frames", ...LIMITS.frames },
  frameMs: { option: "frame-ms", ...LIMITS.frameMs },
} as const satisfies Partial<Record<keyof ImagineOptions, { option: string; min: number; max: number }>>;

/**
 * Type-level checks for options built in code or read back from JSON (buttons, stored jobs), where the
 * compiler's promises do not hold: closed sets and whole numbers. Ranges and combinations are
 * `resolveRequest`'s business, with their own codes.
 * @throws `UserError` `invalid_option`.
 */
export function checkOptionValues(options: ImagineOptions): void {
  if (typeof options.prompt !== "string") {
    throw validationError("invalid_option", "Option prompt must be text.", { option: "prompt" });
  }
  for (const [field, choices] of Object.entries(CHOICES)) {
    const value = options[field as keyof typeof CHOICES];
    if (value !== undefined && !(choices as readonly string[]).includes(value)) {
      throw validationError("invalid_option", mustBeOneOf(field, choices, value), { option: field, value });
    }
  }
  for (const [field, { option, min, max }] of Object.entries(INTEGERS)) {
    const value = options[field as keyof typeof INTEGERS];
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw validationError("invalid_option", mustBeWholeNumber(option, min, max, value), { option, value });
    }
  }
  for (const field of ["model", "size"] as const) {
    const value = options[field];
    if (value !== undefined && typeof value !== "string") {
      throw validationError("invalid_option", `Option ${field} must be text.`, { option: field });
    }
  }
}
