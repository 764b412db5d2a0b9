import { webApi } from "@slack/bolt";
import type { SlackConfig } from "../../config/types.js";
import type { Logger } from "../../logger.js";
import { metrics } from "../../metrics.js";
import { boltLogger } from "./bolt-logger.js";

/**
 * Options for every Web API client of the platform (Bolt's and the renderers'): the fake's base URL in tests,
 * and retries that wait out 429s by their `retry-after`.
 */
export function webClientOptions(config: SlackConfig, logger: Logger) {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    logger: boltLogger(logger.child({ component: "slack-web-api" })),
    retryConfig: { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000 },
  };
}

export function createWebClient(config: SlackConfig, logger: Logger): webApi.WebClient {
  // Through Bolt's re-export: @slack/web-api is Bolt's dependency, not ours.
  return countRateLimits(new webApi.WebClient(config.botToken, webClientOptions(config, logger)));
}

/** Every 429 Slack answers (the client waits out its retry-after) is counted for `/metrics`. */
export function countRateLimits(client: webApi.WebClient): webApi.WebClient {
  client.on(webApi.WebClientEvent.RATE_LIMITED, () => metrics.platformRateLimited.inc({ platform: "slack" }));
  return client;
}
