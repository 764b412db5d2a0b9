import { Client, Events, GatewayCloseCodes, GatewayIntentBits, Partials } from "discord.js";
import type { DiscordConfig } from "../../config/types.js";
import { errorMessage } from "../../core/errors.js";
import { NO_MENTIONS } from "./mentions.js";
import { restOptions } from "./rest.js";
import { describeShards, type ShardPlan } from "./shards.js";

/** One shard, all of it: a bot on fewer than 2,500 servers. */
const ONE_SHARD: ShardPlan = { count: 1, ids: [0] };

/**
 * Guilds (interactions, threads) and guild messages (replies that mention the bot, thread turns);
 * MESSAGE_CONTENT only when the operator says it is enabled in the developer portal. Nothing the client sends
 * pings anyone (`NO_MENTIONS`). The shards are discord.js's own: given explicitly, so that a ShardingManager's
 * `SHARDS` in the environment never overrides what DISCORD_SHARD_IDS says.
 */
export function createClient(config: DiscordConfig, shards: ShardPlan = ONE_SHARD): Client {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
  if (config.messageContent) intents.push(GatewayIntentBits.MessageContent);
  return new Client({
    intents,
    partials: [Partials.Channel, Partials.Message],
    allowedMentions: NO_MENTIONS,
    rest: restOptions(config),
    shards: shards.ids,
    shardCount: shards.count,
  });
}

/** Discord closed one of the process's shards for good, with the sentence that says what to fix. */
class ShardRefusedError extends Error {}

/** A shard Discord closed for good (discord.js does not reconnect it): the sentence that says what to fix. */
function shardRefusal(code: number, shard: number, plan: ShardPlan): ShardRefusedError | undefined {
  const which = `shard ${shard} of ${plan.count}`;
  if (code === GatewayCloseCodes.InvalidShard)
    return new ShardRefusedError(
      `Discord refused ${which} (4010 Invalid shard): another bot process already runs it, or the processes disagree on DISCORD_SHARD_COUNT; give every process the same count and shards of its own (DISCORD_SHARD_IDS).`,
    );
  if (code === GatewayCloseCodes.ShardingRequired)
    return new ShardRefusedError(
      `Discord refused ${which} (4011 Sharding required): the bot is in too many servers for ${plan.count} shard${plan.count === 1 ? "" : "s"}; raise DISCORD_SHARD_COUNT or set it to auto.`,
    );
  return undefined;
}

/** Turns gateway refusals into sentences that name the setting to fix. */
function explain(error: unknown, config: DiscordConfig): Error {
  const text = errorMessage(error);
  if (/disallowed intents|4014/i.test(text)) {
    return new Error(
      config.messageContent
        ? "Discord refused the MESSAGE_CONTENT intent: enable Message Content Intent (Bot tab of the developer portal) or set DISCORD_MESSAGE_CONTENT=false."
        : `Discord refused the gateway intents: ${text}`,
    );
  }
  if (/token|4004|401/i.test(text)) {
    return new Error(
      "Discord refused DISCORD_TOKEN: copy the bot token again from the developer portal (Bot tab).",
    );
  }
  return new Error(`Discord connection failed: ${text}`);
}

/**
 * Logs in and waits until every shard of the process is ready; rejects with a clear message on a bad token, a
 * refused intent or a refused shard. Shards identify one at a time, 5 s apart (Discord's `max_concurrency` 1),
 * so the wait grows with them.
 */
export async function connect(
  client: Client,
  config: DiscordConfig,
  timeoutMs = 30_000,
  shards: ShardPlan = ONE_SHARD,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Discord gateway did not become ready in time (${describeShards(shards)})`)),
      timeoutMs + 5_000 * (shards.ids.length - 1),
    );
    client.once(Events.ClientReady, () => resolve());
    client.on(Events.ShardDisconnect, ({ code }, shard) => {
      const refusal = shardRefusal(code, shard, shards);
      if (refusal !== undefined) reject(refusal);
    });
  });
  try {
    // A refused shard may leave login pending: whichever fails first answers.
    await Promise.all([client.login(config.token), ready]);
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw error instanceof ShardRefusedError ? error : explain(error, config);
  } finally {
    clearTimeout(timer);
  }
}
