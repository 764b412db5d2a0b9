import { shardIdsProblem } from "./discord-shards.js";
import type { Env } from "./schema.js";
import type { ConfigSection } from "./types.js";

/**
 * What each way of starting refuses to start without: `npm start` (`all`), `npm run bot`, `npm run worker`.
 * `npm run doctor` checks with the same needs, so a configuration the start refuses is a failing doctor line.
 */
export const NEEDS_BY_MODE = {
  all: ["openai", "gateways"],
  bot: ["gateways"],
  worker: ["openai"],
} as const satisfies Record<string, readonly ConfigSection[]>;

/** People sign in to the web studio with the Discord or Slack account the bot knows them by. */
function signInChecks(env: Env): string[] {
  const problems: string[] = [];
  if (env.WEB_DISCORD_CLIENT_SECRET && (!env.DISCORD_TOKEN || !env.DISCORD_APPLICATION_ID)) {
    problems.push(
      "WEB_DISCORD_CLIENT_SECRET: needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (the client id), as people sign in with the Discord account they use the bot with",
    );
  }
  if (Boolean(env.WEB_SLACK_CLIENT_ID) !== Boolean(env.WEB_SLACK_CLIENT_SECRET)) {
    problems.push(
      "WEB_SLACK_CLIENT_ID, WEB_SLACK_CLIENT_SECRET: set both for Sign in with Slack, or neither",
    );
  }
  if (env.WEB_SLACK_CLIENT_ID && !env.SLACK_BOT_TOKEN) {
    problems.push(
      "WEB_SLACK_CLIENT_ID: needs SLACK_BOT_TOKEN, as people sign in with the Slack account they use the bot with",
    );
  }
  return problems;
}

/** Checks that only make sense across variables (which provider needs which credentials). */
export function crossChecks(env: Env, needs: readonly ConfigSection[]): string[] {
  const problems: string[] = [];
  if (needs.includes("discord") && !env.DISCORD_TOKEN) {
    problems.push("DISCORD_TOKEN: is required (the bot token from the Discord developer portal, Bot tab)");
  }
  if (needs.includes("slack") && !env.SLACK_BOT_TOKEN) {
    problems.push(
      "SLACK_BOT_TOKEN: is required (the xoxb- token from the Slack app's OAuth & Permissions page)",
    );
  }
  if (needs.includes("gateways") && !env.DISCORD_TOKEN && !env.SLACK_BOT_TOKEN && !env.WEB_ENABLED) {
    problems.push(
      "DISCORD_TOKEN, SLACK_BOT_TOKEN: set at least one, for the platform(s) the bot serves (docs/discord.md, docs/slack.md), or WEB_ENABLED=true for the web studio alone",
    );
  }
  if (env.WEB_ENABLED && env.HTTP_PORT === undefined) {
    problems.push(
      "WEB_ENABLED: the web studio is served on the HTTP endpoint, which HTTP_PORT=off turns off; set HTTP_PORT (8080 by default)",
    );
  }
  if (
    needs.includes("gateways") &&
    env.SLACK_BOT_TOKEN &&
    !env.SLACK_APP_TOKEN &&
    !env.SLACK_SIGNING_SECRET
  ) {
    problems.push("SLACK_SIGNING_SECRET: is required in HTTP mode; or set SLACK_APP_TOKEN for Socket Mode");
  }
  problems.push(...signInChecks(env));
  const shardProblem =
    env.DISCORD_SHARD_COUNT === "auto"
      ? undefined
      : shardIdsProblem(env.DISCORD_SHARD_IDS, env.DISCORD_SHARD_COUNT);
  if (shardProblem) problems.push(`DISCORD_SHARD_IDS: ${shardProblem} (DISCORD_SHARD_COUNT)`);
  if (Boolean(env.DASHBOARD_USER) !== Boolean(env.DASHBOARD_PASSWORD)) {
    problems.push("DASHBOARD_USER, DASHBOARD_PASSWORD: set both for the queue dashboard, or neither");
  }
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
    problems.push(
      "S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both, or neither for the SDK's default credentials (AWS_* variables, a role)",
    );
  }
  if (!needs.includes("openai")) return problems;
  if (env.OPENAI_PROVIDER === "openai" && !env.OPENAI_API_KEY) {
    problems.push("OPENAI_API_KEY: is required (create one at https://platform.openai.com/api-keys)");
  }
  if (env.OPENAI_PROVIDER === "azure") {
    if (!env.AZURE_OPENAI_ENDPOINT) {
      problems.push("AZURE_OPENAI_ENDPOINT: is required when OPENAI_PROVIDER=azure");
    }
    if (!env.AZURE_OPENAI_API_KEY && !env.AZURE_OPENAI_USE_ENTRA_ID) {
      problems.push(
        "AZURE_OPENAI_API_KEY: is required when OPENAI_PROVIDER=azure, unless AZURE_OPENAI_USE_ENTRA_ID=true",
      );
    }
    if (env.AZURE_OPENAI_API_KEY && env.AZURE_OPENAI_USE_ENTRA_ID) {
      problems.push("AZURE_OPENAI_USE_ENTRA_ID: cannot be combined with AZURE_OPENAI_API_KEY; set only one");
    }
  }
  return problems;
}
