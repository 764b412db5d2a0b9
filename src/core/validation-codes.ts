import type { ValidationErrorCode } from "./error-codes.js";
import { invalidInput, type UserError } from "./errors.js";

/**
 * The `invalid_input` codes that option parsing, request validation and input checks can throw live with
 * every other code in `error-codes.ts`; they are re-exported here for the modules that throw them.
 */
export {
  OPTION_ERROR_CODES,
  REQUEST_ERROR_CODES,
  type RequestErrorCode,
  VALIDATION_ERROR_CODES,
  type ValidationErrorCode,
} from "./error-codes.js";

/** `invalidInput` restricted to the validation codes, so a typo in a code fails the type check. */
export function validationError(
  code: ValidationErrorCode,
  message: string,
  details?: Record<string, unknown>,
): UserError {
  return invalidInput(code, message, details);
}
