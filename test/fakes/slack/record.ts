import { appendFileSync } from "node:fs";

/**
 * `--record` (or FAKE_SLACK_RECORD): one JSON line per Web API request, with every token left out, as the fake
 * Discord keeps them out of its record. A token travels in the Authorization header, and also in the body:
 * Bolt's `auth.test` at start-up and any call made with a `token` argument send it as a form field.
 */
export function recordRequest(
  file: string,
  request: { method: string; path: string; headers: Record<string, string>; json: unknown },
): void {
  appendFileSync(file, `${JSON.stringify(withoutTokens(request))}\n`);
}

const REDACTED = "[redacted]";
/** Fields that hold a credential whatever their value: `token`, `authorization`, `client_secret`… */
const SECRET_NAME = /token|authorization|secret|password|cookie/i;
/** Slack's token shapes (bot, user, app-level, refresh, config), wherever they appear in a string. */
const SLACK_TOKEN = /\b(?:xox[a-z]|xapp|xoxe(?:\.xox[a-z])?)-[\w-]+/g;

function withoutTokens(value: unknown, name = ""): unknown {
  if (typeof value === "string")
    return SECRET_NAME.test(name) ? REDACTED : value.replace(SLACK_TOKEN, REDACTED);
  if (Array.isArray(value)) return value.map((item) => withoutTokens(item));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutTokens(item, key)]));
}
