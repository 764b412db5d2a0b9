import { type Client, type REST, type RESTGetAPIGatewayBotResult, Routes, Status } from "discord.js";
import { shardIdsProblem } from "../../config/discord-shards.js";
import type { DiscordShards } from "../../config/types.js";

/** The gateway shards this process runs, among how many the bot runs in all. */
export interface ShardPlan {
  count: number;
  ids: number[];
}

/**
 * This process's shards: `DISCORD_SHARD_COUNT=auto` asks Discord (`GET /gateway/bot`), and ids beyond what it
 * recommends stop the start, as ids beyond a number the operator gave stop it at configuration.
 */
export async function planShards(shards: DiscordShards, rest: REST): Promise<ShardPlan> {
  const count = shards.count === "auto" ? await recommendedShards(rest) : shards.count;
  const problem = shardIdsProblem(shards.ids, count);
  if (problem !== undefined) {
    const why = shards.count === "auto" ? ", the count Discord recommends (DISCORD_SHARD_COUNT=auto)" : "";
    throw new Error(`DISCORD_SHARD_IDS: ${problem}${why}`);
  }
  return { count, ids: shards.ids ?? Array.from({ length: count }, (_, id) => id) };
}

async function recommendedShards(rest: REST): Promise<number> {
  const gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  return gateway.shards;
}

/** "shards 2, 3 of 4", for logs and messages. */
export function describeShards(plan: ShardPlan): string {
  const ids = plan.ids.join(", ");
  return `${plan.ids.length === 1 ? "shard" : "shards"} ${ids} of ${plan.count}`;
}

/** Every shard of this process is connected (a resuming or refused one is not). */
export function allShardsReady(client: Client): boolean {
  const shards = [...client.ws.shards.values()];
  return shards.length > 0 && shards.every((shard) => shard.status === Status.Ready);
}
