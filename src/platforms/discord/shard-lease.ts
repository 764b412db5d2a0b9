import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { RedisClient } from "../../core/redis-slots.js";
import type { Logger } from "../../logger.js";
import { describeShards, type ShardPlan } from "./shards.js";

/**
 * How long a lease outlives its last renewal: a process killed without its stop holds its shards this long.
 * Renewed three times within it, so a slow Redis round trip or a busy event loop does not let it lapse.
 */
export const SHARD_LEASE_MS = 30_000;

/** Extends the lease when this process holds it, or takes it again when it lapsed; 0 when another holds it. */
const RENEW = `
local holder = redis.call("GET", KEYS[1])
if holder == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end
if holder then return 0 end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
return 1`;

/** Removes the lease only when this process holds it: a lapsed one may be another process's by now. */
const RELEASE = `
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0`;

/** Another process holds one of the shards asked for. */
export class ShardTakenError extends Error {}

export interface ShardLeases {
  /** Stops renewing and lets every shard go, for the next process to take at once. */
  release(): Promise<void>;
}

export interface ShardLeaseOptions {
  redis: RedisClient;
  prefix: string;
  plan: ShardPlan;
  logger: Logger;
  /** Tests shorten it to see renewals; {@link SHARD_LEASE_MS} otherwise. */
  leaseMs?: number;
}

/** One key per shard id, on its own (one hash slot each on Redis Cluster). */
export function shardLeaseKey(prefix: string, shard: number): string {
  return `${prefix}:discord:shard-lease:${shard}`;
}

/**
 * Takes a lease in Redis for each of the process's shards before its gateway connects (`SET NX PX`), renewed
 * while it runs: Discord does not promise to refuse a second connection on a shard, and two processes on one
 * shard would answer its servers twice. All or none: a refused process holds nothing.
 *
 * @throws ShardTakenError naming the shard and its holder when another process holds one.
 */
export async function leaseShards(options: ShardLeaseOptions): Promise<ShardLeases> {
  const { redis, prefix, plan, logger, leaseMs = SHARD_LEASE_MS } = options;
  // Host and pid, for the operator who reads the refusal; the random part tells a restarted pid apart.
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const taken: number[] = [];
  const releaseTaken = () =>
    Promise.all(taken.map((shard) => redis.eval(RELEASE, 1, shardLeaseKey(prefix, shard), holder)));
  for (const shard of plan.ids) {
    const key = shardLeaseKey(prefix, shard);
    if ((await redis.set(key, holder, "PX", leaseMs, "NX")) === "OK") {
      taken.push(shard);
      continue;
    }
    const [other, left] = await Promise.all([redis.get(key), redis.pttl(key)]);
    await releaseTaken();
    const which = describeShards({ count: plan.count, ids: [shard] }).replace("shard", "Shard");
    const lapse = Math.ceil(Math.max(left, 0) / 1000);
    throw new ShardTakenError(
      `${which} is already run by another bot process (${other ?? "just stopped"}); give every process shards of its own (DISCORD_SHARD_IDS), or, if that process was killed, start again in ${lapse} s when its lease lapses.`,
    );
  }
  let stopped = false;
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    for (const shard of taken) {
      // A renewal that ran on past the release would take the shard again.
      if (stopped) return;
      try {
        const kept = await redis.eval(RENEW, 1, shardLeaseKey(prefix, shard), holder, leaseMs);
        if (Number(kept) === 0)
          logger.error({ shard }, "another bot process took this process's Discord shard lease");
      } catch (error) {
        // Redis away for a moment: the lease lasts three renewals, and the next one tries again.
        logger.warn({ err: error, shard }, "renewing the Discord shard lease failed");
      }
    }
  };
  const timer = setInterval(
    () => {
      renewing = renewing.then(renew);
    },
    Math.floor(leaseMs / 3),
  );
  timer.unref();
  return {
    async release() {
      stopped = true;
      clearInterval(timer);
      await renewing;
      await releaseTaken();
    },
  };
}
