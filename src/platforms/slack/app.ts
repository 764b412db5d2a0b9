import { App, HTTPReceiver } from "@slack/bolt";
import type { SlackConfig } from "../../config/types.js";
import { errorMessage } from "../../core/errors.js";
import type { RedisClient } from "../../core/redis-slots.js";
import type { Logger } from "../../logger.js";
import { boltLogger } from "./bolt-logger.js";
import { webClientOptions } from "./client.js";
import { guardAgainstReplays } from "./replay-guard.js";

/** HTTP mode's memory of the signed requests it took, shared by every bot process. */
export interface ReplayMemory {
  redis: RedisClient;
  queuePrefix: string;
}

/**
 * Bolt in Socket Mode when an app token is set, else HTTP mode on `config.port` (`/slack/events` for
 * commands, events and interactions), where Bolt verifies every request's signature with the signing secret
 * and the replay guard refuses a request received before or dated ahead (replay-guard.ts).
 */
export function createSlackApp(config: SlackConfig, logger: Logger, memory: ReplayMemory): App {
  const log = boltLogger(logger.child({ component: "bolt" }));
  const common = {
    token: config.botToken,
    logger: log,
    clientOptions: webClientOptions(config, logger),
    // `startSlackApp` checks the token itself: Bolt's own check runs in the constructor, where a refused token
    // becomes an unhandled rejection and a bot that starts and then ignores everyone.
    deferInitialization: true,
  };
  if (config.appToken) {
    return new App({ ...common, appToken: config.appToken, socketMode: true });
  }
  if (!config.signingSecret) throw new Error("SLACK_SIGNING_SECRET is required in HTTP mode");
  const receiver = new HTTPReceiver({ signingSecret: config.signingSecret, port: config.port, logger: log });
  guardAgainstReplays(receiver, { signingSecret: config.signingSecret, logger, ...memory });
  return new App({ ...common, receiver });
}

/** Slack's answers that mean a token is wrong, revoked or of the wrong kind. */
const REFUSED_TOKEN =
  /invalid_auth|not_authed|account_inactive|token_revoked|token_expired|not_allowed_token_type/;

/** A start-up failure as a sentence that names the setting to fix. */
function explain(error: unknown, config: SlackConfig, stage: "bot token" | "receiver"): Error {
  const text = errorMessage(error);
  if (stage === "bot token" && REFUSED_TOKEN.test(text)) {
    return new Error(
      `Slack refused SLACK_BOT_TOKEN (${text}): copy the Bot User OAuth Token (xoxb-…) again from the app's OAuth & Permissions page.`,
    );
  }
  if (config.appToken && REFUSED_TOKEN.test(text)) {
    return new Error(
      `Slack refused SLACK_APP_TOKEN (${text}): create an app-level token with connections:write under Basic Information → App-Level Tokens.`,
    );
  }
  if (/EADDRINUSE/.test(text)) {
    return new Error(`Slack's HTTP receiver cannot listen on SLACK_PORT=${config.port}: the port is in use.`);
  }
  return new Error(`Slack start-up failed: ${text}`);
}

/** Checks the bot token (`auth.test`), then connects Socket Mode or opens the HTTP receiver; says what to fix. */
export async function startSlackApp(app: App, config: SlackConfig): Promise<void> {
  try {
    await app.init();
  } catch (error) {
    throw explain(error, config, "bot token");
  }
  try {
    await app.start();
  } catch (error) {
    await app.stop().catch(() => undefined);
    throw explain(error, config, "receiver");
  }
}
