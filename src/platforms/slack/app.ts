import { App } from "@slack/bolt";
import type { SlackConfig } from "../../config.js";
import type { Logger } from "../../logger.js";
import { boltLogger } from "./bolt-logger.js";
import { webClientOptions } from "./client.js";

/**
 * Bolt in Socket Mode when an app token is set, else HTTP mode on `config.port` (`/slack/events` for
 * commands, events and interactions), where Bolt verifies every request's signature with the signing secret.
 */
export function createSlackApp(config: SlackConfig, logger: Logger): App {
  const log = boltLogger(logger.child({ component: "bolt" }));
  const common = {
    token: config.botToken,
    logger: log,
    clientOptions: webClientOptions(config, logger),
  };
  if (config.appToken) {
    return new App({ ...common, appToken: config.appToken, socketMode: true });
  }
  if (!config.signingSecret) throw new Error("SLACK_SIGNING_SECRET is required in HTTP mode");
  return new App({ ...common, signingSecret: config.signingSecret, port: config.port });
}
