import { Redis } from "ioredis";

/**
 * BullMQ workers block on Redis and must retry forever (`maxRetriesPerRequest: null`); producers should
 * fail fast so an adapter can tell the person the queue is down instead of hanging past its 3 s deadline.
 */
export function createRedisConnection(url: string, role: "worker" | "producer"): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
    lazyConnect: true,
    connectionName: `imagine-bot:${role}`,
  });
}

/**
 * Connects, or throws an error that names the URL without its password and the socket's own reason (ioredis
 * reports that as an event, and prints a stack trace for each one nobody listens to).
 */
export async function connectRedis(redis: Redis, url: string): Promise<Redis> {
  let reason: Error | undefined;
  const remember = (error: Error) => {
    reason = error;
  };
  redis.on("error", remember);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new Error(`Cannot reach Redis at ${redactRedisUrl(url)}: ${(reason ?? (error as Error)).message}`, {
      cause: error,
    });
  } finally {
    redis.off("error", remember);
  }
}

export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable REDIS_URL)";
  }
}
