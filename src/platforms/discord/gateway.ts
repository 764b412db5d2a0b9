import { Events, type REST } from "discord.js";
import type { DiscordConfig } from "../../config/types.js";
import { AcksFirst } from "../../intake/acks-first.js";
import type { PlatformContext, RunningPlatform } from "../platform.js";
import { connect, createClient } from "./client.js";
import type { DiscordContext } from "./context.js";
import { DEFAULT_DOWNLOAD_POLICY } from "./download.js";
import { onInteraction } from "./interactions/router.js";
import { onMessage } from "./messages.js";
import { countRateLimits } from "./rest.js";
import { SettingsStore } from "./settings-store.js";
import { leaseShards } from "./shard-lease.js";
import { allShardsReady, describeShards, planShards } from "./shards.js";
import { discordChatReturn } from "./studio-return.js";
import { InteractionTokens } from "./token-store.js";

/**
 * The bot process's side of Discord: the gateway client (discord.js), slash commands, "Edit image", buttons and
 * replies. Loaded only where the gateway runs: a worker edits replies with `@discordjs/rest` alone.
 */
export async function startGateway(
  config: DiscordConfig,
  rest: REST,
  context: PlatformContext,
): Promise<RunningPlatform> {
  const logger = context.logger.child({ platform: "discord" });
  const ctx: DiscordContext = {
    process: context,
    config,
    rest,
    settings: new SettingsStore(context.redis, context.config.queuePrefix),
    tokens: new InteractionTokens(context.redis, context.config.queuePrefix),
    download: {
      ...DEFAULT_DOWNLOAD_POLICY,
      extraOrigins: config.apiUrl ? [new URL(config.apiUrl).origin] : [],
    },
    acks: new AcksFirst(),
    logger,
  };
  const shards = await planShards(config.shards, rest);
  // Before connecting: a second process on a shard would answer its servers twice, and Discord may not refuse it.
  const leases = await leaseShards({
    redis: context.redis,
    prefix: context.config.queuePrefix,
    plan: shards,
    logger,
  });
  const client = createClient(config, shards);
  countRateLimits(client.rest);
  client.on(Events.InteractionCreate, (interaction) => void onInteraction(ctx, interaction));
  client.on(Events.MessageCreate, (message) => void onMessage(ctx, message));
  client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));
  client.on(Events.ShardDisconnect, ({ code }, shard) =>
    logger.error({ shard, code }, "discord shard disconnected for good"),
  );
  let stopping = false;
  // discord.js reports its own destroy as a reconnect: only a shard lost while running is one.
  client.on(Events.ShardReconnecting, (shard) => {
    if (!stopping) logger.info({ shard }, "discord shard reconnecting");
  });
  try {
    await connect(client, config, undefined, shards);
  } catch (error) {
    await leases.release();
    throw error;
  }
  logger.info({ user: client.user?.id, shards: describeShards(shards) }, "discord gateway ready");
  const applicationId = client.application?.id ?? client.user?.id ?? config.applicationId;
  if (applicationId) context.chatReturns?.set("discord", discordChatReturn(ctx, applicationId));
  return {
    async stop() {
      stopping = true;
      context.chatReturns?.delete("discord");
      await client.destroy();
      await leases.release();
    },
    async ready() {
      if (!client.isReady() || !allShardsReady(client))
        throw new Error(`not connected to the Discord gateway on all of ${describeShards(shards)}`);
    },
  };
}
