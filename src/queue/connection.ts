import { Cluster, type ClusterOptions, Redis } from "ioredis";
import type { RedisClient } from "../core/redis-slots.js";

/** Where Redis is: one server (`redisUrl`), or a Redis Cluster when `redisClusterNodes` names its nodes. */
export interface RedisTarget {
  redisUrl: string;
  /** `redis://` or `rediss://` URLs of some of the cluster's nodes (the rest are found from them); empty: one Redis. */
  redisClusterNodes: readonly string[];
}

export type RedisRole = "worker" | "producer";

/** How a connection behaves, the same for one Redis and for each node of a cluster. */
export interface ConnectionRules {
  /** null: retry for ever (BullMQ's blocking connections must). */
  maxRetriesPerRequest: number | null;
  enableOfflineQueue: boolean;
  lazyConnect: boolean;
  connectionName: string;
  connectTimeout?: number;
  commandTimeout?: number;
}

/**
 * BullMQ workers block on Redis and must retry forever (`maxRetriesPerRequest: null`); producers should
 * fail fast so an adapter can tell the person the queue is down instead of hanging past its 3 s deadline.
 */
export function createRedisConnection(target: RedisTarget, role: RedisRole): RedisClient {
  const rules: ConnectionRules = {
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
    lazyConnect: true,
    connectionName: `imagine-bot:${role}`,
  };
  if (target.redisClusterNodes.length === 0) return new Redis(target.redisUrl, rules);
  return createCluster(target.redisClusterNodes, rules);
}

/**
 * A Cluster client from its seed nodes. The first node's credentials and TLS apply to every node (the cluster
 * tells the client where the others are, by address only). Its own commands obey `options` as one Redis's do.
 */
export function createCluster(
  nodes: readonly string[],
  rules: ConnectionRules,
  more: Pick<ClusterOptions, "clusterRetryStrategy"> = {},
): Cluster {
  const seeds = nodes.map((node) => new URL(node));
  const first = seeds[0];
  if (first === undefined) throw new Error("a Redis Cluster needs at least one node");
  // The cluster queues commands and connects itself; the rest (retries per request included) is per node.
  const { enableOfflineQueue, lazyConnect, ...perNode } = rules;
  return new Cluster(
    seeds.map((seed) => ({ host: seed.hostname, port: Number(seed.port || 6379) })),
    {
      ...more,
      lazyConnect,
      enableOfflineQueue,
      redisOptions: {
        ...perNode,
        ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
        ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
        ...(first.protocol === "rediss:" ? { tls: {} } : {}),
      },
    },
  );
}

/**
 * Connects, or throws an error that names the URL without its password and the socket's own reason (ioredis
 * reports that as an event, and prints a stack trace for each one nobody listens to).
 */
export async function connectRedis<Client extends RedisClient>(
  redis: Client,
  target: RedisTarget,
): Promise<Client> {
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
    // A Redis that answers but runs without cluster mode fails as a cluster no node of which answers: say so.
    if (redis.isCluster && (await withoutClusterMode(target))) {
      throw new Error(
        `${redisAddress(target)} is a Redis without cluster mode (cluster_enabled:0): give it as REDIS_URL and leave REDIS_CLUSTER_NODES empty, or turn cluster-enabled on`,
        { cause: error },
      );
    }
    // A cluster's events say "Failed to refresh slots cache"; its refusal says what happened: no node answered.
    const why = redis.isCluster ? (error as Error) : (reason ?? (error as Error));
    throw new Error(`Cannot reach ${describeRedis(target)}: ${reasonOf(why)}`, {
      cause: error,
    });
  } finally {
    redis.off("error", remember);
  }
}

/** Whether the first cluster node answers as a Redis whose cluster mode is off (false when it does not answer). */
async function withoutClusterMode(target: RedisTarget): Promise<boolean> {
  const first = target.redisClusterNodes[0];
  if (first === undefined) return false;
  const single = new Redis(first, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
  single.on("error", () => undefined);
  try {
    await single.connect();
    return /^cluster_enabled:0/m.test(await single.info("cluster"));
  } catch {
    return false;
  } finally {
    single.disconnect();
  }
}

/**
 * The servers that hold data: every primary of a cluster (known once the client has connected), or the one
 * Redis. What is true of "Redis" (it keeps data across a restart, it never evicts) must be true of each.
 */
export function primaries(redis: RedisClient): Redis[] {
  return "nodes" in redis ? redis.nodes("master") : [redis];
}

/** A cluster node as `host:port`, for a sentence about that node alone. */
export function nodeAddress(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}

/** The reason without a trailing full stop, as the sentence goes on after it. */
function reasonOf(error: Error): string {
  return error.message.replace(/\.$/, "");
}

/** "Redis at redis://…" or "the Redis Cluster at redis://…, redis://…", passwords hidden. */
export function describeRedis(target: RedisTarget): string {
  const cluster = target.redisClusterNodes.length > 0;
  return `${cluster ? "the Redis Cluster" : "Redis"} at ${redisAddress(target)}`;
}

/** The URL, or the cluster's nodes, passwords hidden. */
export function redisAddress(target: RedisTarget): string {
  if (target.redisClusterNodes.length === 0) return redactRedisUrl(target.redisUrl);
  return target.redisClusterNodes.map(redactRedisUrl).join(", ");
}

/** The variable that says where Redis is, for a sentence that asks the operator to fix it. */
export function redisVariable(target: RedisTarget): string {
  return target.redisClusterNodes.length === 0 ? "REDIS_URL" : "REDIS_CLUSTER_NODES";
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
