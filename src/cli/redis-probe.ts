import { Redis } from "ioredis";
import type { RedisClient } from "../core/redis-slots.js";
import { createCluster, type RedisTarget } from "../queue/connection.js";

/** Long enough for a Redis on another machine of the LAN; short enough that nobody waits for the fallback. */
const PROBE_TIMEOUT_MS = 1_000;

export type RedisProbe = { ok: true } | { ok: false; reason: string; closed: RedisClient };

/**
 * One attempt to reach Redis, with no reconnect loop and no logs: ioredis would otherwise retry for ever and
 * print "Unhandled error event" on every try. The closed connection of a failed probe is returned as it is:
 * commands on it fail at once, which is all a component that needs Redis can get when there is none.
 */
export async function probeRedis(target: RedisTarget, timeoutMs = PROBE_TIMEOUT_MS): Promise<RedisProbe> {
  const rules = {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectionName: "imagine-bot:cli-probe",
  };
  const redis: RedisClient =
    target.redisClusterNodes.length === 0
      ? new Redis(target.redisUrl, { ...rules, retryStrategy: () => null })
      : createCluster(target.redisClusterNodes, rules, { clusterRetryStrategy: () => null });
  let lastError: Error | undefined;
  // The failure is this function's answer; without a listener ioredis prints it as "Unhandled error event".
  redis.on("error", (error: Error) => {
    lastError = error;
  });
  const answered = (async () => {
    await redis.connect();
    await redis.ping();
  })();
  let timer: NodeJS.Timeout | undefined;
  // The handshake is several commands, each with its own timeout: one deadline bounds them all.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([answered, deadline]);
    return { ok: true };
  } catch (error) {
    answered.catch(() => undefined); // the loser of the race settles after the disconnect below
    const reason = (lastError ?? (error as Error)).message;
    return { ok: false, reason, closed: redis };
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
