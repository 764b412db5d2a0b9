/** Tuning and test-only settings of the Slack platform; production uses the defaults. */
export interface SlackPlatformOptions {
  /**
   * Test only: `host:port` values trusted like Slack's own hosts for `url_private` downloads and
   * `upload_url`s (the fake Slack). Production leaves it empty, so the token never leaves Slack.
   */
  trustedTestHosts?: string[];
  /** Least time between two edits of one message (Slack allows about one per second per channel). */
  minEditIntervalMs?: number;
  /** How long to wait for a fresh upload to be processed before an image block can show it. */
  fileReadyTimeoutMs?: number;
  filePollIntervalMs?: number;
  /** How long an event id is remembered, so Slack's retries never start a second job. */
  eventDedupeSeconds?: number;
}

export interface ResolvedSlackOptions {
  trustedTestHosts: string[];
  minEditIntervalMs: number;
  fileReadyTimeoutMs: number;
  filePollIntervalMs: number;
  eventDedupeSeconds: number;
}

export function resolveSlackOptions(options: SlackPlatformOptions = {}): ResolvedSlackOptions {
  return {
    trustedTestHosts: options.trustedTestHosts ?? [],
    minEditIntervalMs: options.minEditIntervalMs ?? 1_000,
    fileReadyTimeoutMs: options.fileReadyTimeoutMs ?? 15_000,
    filePollIntervalMs: options.filePollIntervalMs ?? 500,
    eventDedupeSeconds: options.eventDedupeSeconds ?? 24 * 3600,
  };
}
