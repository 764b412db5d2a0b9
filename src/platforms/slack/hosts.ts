import { userError } from "../../core/errors.js";

/** Slack's own hosts: the only ones the bot token may travel to (`slack.com`, `files.slack.com`, …). */
const SLACK_HOST = /(^|\.)slack\.com$/i;

/**
 * Whether `url` may receive the bot token: https on a Slack host, or one of the `trusted` `host:port` values
 * (the configured `SLACK_API_URL`'s host, e.g. the fake Slack; empty in a deployment on Slack itself).
 */
export function isTokenSafe(url: string, trusted: readonly string[] = []): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (trusted.includes(parsed.host)) return true;
  return parsed.protocol === "https:" && SLACK_HOST.test(parsed.hostname) && parsed.username === "";
}

/** Throws before any request is made when `url` is not one of Slack's hosts. */
export function assertTokenSafe(url: string, trusted: readonly string[], what: string): void {
  if (isTokenSafe(url, trusted)) return;
  let host = "an invalid URL";
  try {
    host = new URL(url).host;
  } catch {
    // keep the placeholder
  }
  throw userError("slack_foreign_host", { what, host }, { details: { host } });
}
