/**
 * OpenAI's error envelope. The SDK's `APIError.generate` reads `body.error` and copies its
 * `code`, `param` and `type`; extra keys (like `moderation_details`) stay reachable on `err.error`.
 */
export interface ErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
  [extra: string]: unknown;
}

/** Thrown anywhere inside a route; the server turns it into `{ error }` with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: ErrorObject,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null) {
  return new HttpError(400, { message, type: "invalid_request_error", param, code });
}

export function missingParameter(param: string) {
  return invalidRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
}

export function unknownParameter(param: string) {
  return invalidRequest(`Unknown parameter: '${param}'.`, param, "unknown_parameter");
}

export function invalidValue(param: string, value: unknown, expected: readonly string[]) {
  const list = expected.map((v) => `'${v}'`).join(", ");
  return invalidRequest(
    `Invalid value: '${String(value)}'. Supported values are: ${list}.`,
    param,
    "invalid_value",
  );
}

export function invalidType(param: string, expected: string, value: unknown) {
  return invalidRequest(
    `Invalid type for '${param}': expected ${expected}, but got ${typeof value} instead.`,
    param,
    "invalid_type",
  );
}

export function notFound(message: string) {
  return new HttpError(404, { message, type: "invalid_request_error", param: null, code: null });
}

export function modelNotFound(model: string) {
  return new HttpError(404, {
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    type: "invalid_request_error",
    param: null,
    code: "model_not_found",
  });
}
