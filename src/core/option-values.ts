import { userError } from "./errors.js";
import type { ImagineOptions } from "./imagine-options.js";
import { LIMITS } from "./limits.js";
import {
  API_MODES,
  BACKGROUNDS,
  COMPLEXITIES,
  FIDELITIES,
  MODERATIONS,
  OUTPUT_FORMATS,
  QUALITIES,
} from "./request.js";

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
    const option = "prompt";
    throw userError("invalid_option", { rule: "text", option }, { details: { option } });
  }
  for (const [field, choices] of Object.entries(CHOICES)) {
    const value = options[field as keyof typeof CHOICES];
    if (value !== undefined && !(choices as readonly string[]).includes(value)) {
      const details = { option: field, value };
      throw userError("invalid_option", { rule: "one_of", option: field, choices, got: value }, { details });
    }
  }
  for (const [field, { option, min, max }] of Object.entries(INTEGERS)) {
    const value = options[field as keyof typeof INTEGERS];
    if (value !== undefined && !Number.isSafeInteger(value)) {
      const details = { option, value };
      throw userError("invalid_option", { rule: "whole_number", option, min, max, got: value }, { details });
    }
  }
  for (const field of ["model", "size"] as const) {
    const value = options[field];
    if (value !== undefined && typeof value !== "string") {
      throw userError("invalid_option", { rule: "text", option: field }, { details: { option: field } });
    }
  }
}
