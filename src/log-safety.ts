import type { LoggerOptions } from "pino";
import type { UserError } from "./core/errors.js";

/**
 * A person's mistake (a bad size, a file too big, a button of someone else's) is news, logged at info: what the
 * person was told and its code, without the error's stack, which explains nothing the sentence does not.
 */
export function refusalFields(error: UserError): { code: string; told: string } {
  return { code: error.code, told: error.message };
}

/**
 * What an error may put in a log line. pino's default error serializer prints every property an error
 * carries, and the SDKs' errors carry secrets: a Discord REST error has the request `url`, whose path holds the
 * interaction or webhook token, and the `requestBody`, whose files are the image bytes (printed as a number
 * array); a Slack request error wraps axios's error, whose `config` holds the bot token and the upload. This
 * keeps what explains a failure (type, message, code, status, method, URL, stack, causes) and rewrites or
 * drops the rest. pino's `redact` paths cannot do it: they do not reach nested causes or tokens inside strings.
 */

/** Properties that are requests, responses or their headers: bodies, files and credentials, never an explanation. */
const DROPPED_KEYS = new Set(["requestBody", "config", "request", "response", "headers"]);

/** Secrets as they appear inside strings (URLs, messages, stacks), and what each becomes. */
const SECRETS_IN_TEXT: [RegExp, string][] = [
  // Discord: /webhooks/{id}/{token}/… and /interactions/{id}/{token}/callback.
  [/(\/(?:webhooks|interactions)\/\d+\/)[^/?#\s"'`]+/g, "$1[token]"],
  // An Authorization header's value; long enough not to catch prose such as "Bot token missing".
  [/\b(Bot|Bearer) [\w.~+/=-]{20,}/g, "$1 [redacted]"],
  [/\bx(?:ox[a-z]|app)-[\w-]+/g, "[redacted]"],
  // Slack: a `response_url` posts to the channel for 30 minutes, and a payload's `token` (or any `…token` field)
  // vouches for it; Socket Mode logs whole envelopes at debug level. As JSON, inspected objects and form fields…
  [
    /(\b(?:response_url|\w*token|client_secret)\\?["']?\s*[:=]\s*\\?["']?)(?:\\\/|[^"'\s&,}\\])+/gi,
    "$1[redacted]",
  ],
  // …and as URL-encoded JSON (an interaction's `payload=` form field).
  [/(%22(?:response_url|\w*token)%22%3A%22)(?:(?!%22)[^&\s"'])+/gi, "$1[redacted]"],
  // Incoming webhooks and response URLs on Slack's own host, wherever they appear.
  [/(https:\/\/hooks\.slack\.com\/)[^\s"'`]+/g, "$1[redacted]"],
  // Socket Mode's WebSocket URL carries a ticket that opens the connection.
  [/([?&]ticket=)[^&\s"'`]+/g, "$1[redacted]"],
  // A presigned S3 link opens its object for anyone until it expires: its signature (and a session token) is a key.
  [/\b(X-Amz-(?:Signature|Security-Token)=)[^&\s"'`]+/gi, "$1[redacted]"],
  // An unbroken run of base64 this long is file data (or a key), never an explanation.
  [/[A-Za-z0-9+/_-]{200,}={0,2}/g, "[base64 elided]"],
];

/** A longer array of numbers is bytes in disguise (a Buffer after `toJSON`, a typed array copied). */
const MAX_NUMBERS = 16;
const MAX_ITEMS = 20;
/** Deep enough for a cause chain and Discord's form-error tree; bounded, since errors may be cyclic. */
const MAX_DEPTH = 8;

export function scrubSecrets(text: string): string {
  return SECRETS_IN_TEXT.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** An error (or whatever was thrown) as it may appear in a log line. */
export function serializeError(value: unknown): unknown {
  return safeValue(value, 0, new WeakSet());
}

/**
 * pino options that route every logged error through {@link serializeError}: the `err` key (where pino puts
 * an error logged on its own), and an `Error` under any other top-level key.
 */
export const errorLogging = {
  serializers: { err: serializeError },
  formatters: {
    log: (record: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(record).map(([key, value]) => [
          key,
          value instanceof Error ? serializeError(value) : value,
        ]),
      ),
  },
} satisfies Pick<LoggerOptions, "serializers" | "formatters">;

function safeValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object" || value === null) return value;
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer)
    return `[${value.byteLength} bytes]`;
  if (seen.has(value)) return "[repeated]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  if (Array.isArray(value)) {
    if (value.length > MAX_NUMBERS && value.every((item) => typeof item === "number")) {
      return `[${value.length} numbers]`;
    }
    const kept = value.slice(0, MAX_ITEMS).map((item) => safeValue(item, depth + 1, seen));
    return value.length > MAX_ITEMS ? [...kept, `[${value.length - MAX_ITEMS} more]`] : kept;
  }
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out.type = value.constructor.name;
    out.message = scrubSecrets(value.message);
    if (value.stack !== undefined) out.stack = scrubSecrets(value.stack);
    // Not enumerable when set by the constructor, so named here.
    if (value.cause !== undefined) out.cause = safeValue(value.cause, depth + 1, seen);
    if (value instanceof AggregateError) out.errors = safeValue(value.errors, depth + 1, seen);
  }
  for (const [key, item] of Object.entries(value)) {
    if (DROPPED_KEYS.has(key) || Object.hasOwn(out, key)) continue;
    out[key] = safeValue(item, depth + 1, seen);
  }
  return out;
}
