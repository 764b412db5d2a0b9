import type { SlackConfig } from "../../config/types.js";

/** Tuning of the Slack platform; production uses the defaults. */
export interface SlackPlatformOptions {
  /** Least time between two edits of one message (Slack allows about one per second per channel). */
  minEditIntervalMs?: number;
  /** How long to wait for a fresh upload to be processed before an image block can show it. */
  fileReadyTimeoutMs?: number;
  filePollIntervalMs?: number;
  /** How long an event id is remembered, so Slack's retries never start a second job. */
  eventDedupeSeconds?: number;
}

export interface ResolvedSlackOptions {
  /**
   * `host:port` values trusted like Slack's own hosts for `url_private` downloads and `upload_url`s: only the
   * host of `SLACK_API_URL` when it is set (the fake Slack), which receives the token with every call anyway.
   * Without it, the token never leaves Slack's hosts.
   */
  trustedHosts: string[];
  minEditIntervalMs: number;
  fileReadyTimeoutMs: number;
  filePollIntervalMs: number;
  eventDedupeSeconds: number;
}

export function resolveSlackOptions(
  config: Pick<SlackConfig, "apiUrl">,
  options: SlackPlatformOptions = {},
): ResolvedSlackOptions {
  return {
    trustedHosts: config.apiUrl ? [new URL(config.apiUrl).host] : [],
    minEditIntervalMs: options.minEditIntervalMs ?? 1_000,
    fileReadyTimeoutMs: options.fileReadyTimeoutMs ?? 15_000,
    filePollIntervalMs: options.filePollIntervalMs ?? 500,
    eventDedupeSeconds: options.eventDedupeSeconds ?? 24 * 3600,
  };
}
