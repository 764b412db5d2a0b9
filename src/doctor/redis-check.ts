import type { Redis } from "ioredis";
import type { Config } from "../config/types.js";
import { errorMessage } from "../core/errors.js";
import type { RedisClient } from "../core/redis-slots.js";
import {
  connectRedis,
  createRedisConnection,
  describeRedis,
  nodeAddress,
  primaries,
  redactRedisUrl,
  redisVariable,
} from "../queue/connection.js";
import { FORGETS_ON_RESTART, type RedisPersistence, redisPersistence } from "../queue/redis-persistence.js";
import { type CheckOutcome, fail, pass } from "./checks.js";

/** BullMQ's floor (it uses commands and Lua that older servers lack). */
const MIN_REDIS = [6, 2, 0];

/** What one server (a cluster's primary, or the one Redis) is and keeps. */
interface ServerFacts {
  where: string;
  version: string;
  policy: string;
  persistence: RedisPersistence;
}

/**
 * Redis: reachable, new enough for BullMQ, never evicting keys and keeping them across a restart (a queue that
 * loses jobs loses money, and leaves their messages on "Queued"). On a Redis Cluster, its state is ok and every
 * primary is asked the same: each holds its own share of the jobs.
 */
export async function checkRedis(config: Config): Promise<CheckOutcome> {
  let redis: RedisClient | undefined;
  try {
    redis = await connectRedis(createRedisConnection(config, "producer"), config);
    const cluster = redis.isCluster ? await clusterState(redis) : undefined;
    if (cluster !== undefined && cluster.state !== "ok")
      return fail(
        "redis",
        `${describeRedis(config)} says cluster_state:${cluster.state}: fix the cluster first`,
      );
    const servers = await Promise.all(
      primaries(redis).map((server) => factsOf(server, cluster ? nodeAddress(server) : undefined, config)),
    );
    return verdict(servers, cluster?.primaries);
  } catch (error) {
    return fail("redis", `${errorMessage(error)}: start Redis or fix ${redisVariable(config)}`);
  } finally {
    redis?.disconnect();
  }
}

function verdict(servers: ServerFacts[], primaryCount: number | undefined): CheckOutcome {
  for (const { where, version } of servers)
    if (compareVersions(version, MIN_REDIS) < 0)
      return fail(
        "redis",
        `Redis ${version} at ${where} is older than ${MIN_REDIS.join(".")}, which BullMQ needs`,
      );
  for (const { where, policy } of servers)
    if (policy !== "noeviction")
      return fail(
        "redis",
        `Redis at ${where} evicts keys (maxmemory-policy ${policy}): set maxmemory-policy noeviction, or queued jobs can vanish`,
      );
  for (const { where, persistence } of servers)
    if (persistence.kind === "forgets") return fail("redis", `${where}: ${FORGETS_ON_RESTART}`);
  const versions = [...new Set(servers.map((server) => server.version))].join(", ");
  const found =
    primaryCount === undefined
      ? `Redis ${versions} at ${servers[0]?.where}, maxmemory-policy noeviction`
      : `Redis Cluster of ${primaryCount} primaries (Redis ${versions}) at ${servers.map((s) => s.where).join(", ")}, maxmemory-policy noeviction on each`;
  const unknown = servers.find((server) => server.persistence.kind === "unknown")?.persistence;
  if (unknown?.kind === "unknown")
    return {
      ...pass("redis", `${found}; could not check that it keeps data across a restart (${unknown.reason})`),
      warning: true,
    };
  const hows = [
    ...new Set(servers.map(({ persistence }) => (persistence.kind === "keeps" ? persistence.how : ""))),
  ];
  const each = primaryCount === undefined ? "" : " on every primary";
  return pass("redis", `${found}, keeps jobs across a restart with ${hows.join(" or ")}${each}`);
}

async function clusterState(redis: RedisClient): Promise<{ state: string; primaries: number }> {
  const info = parseInfo(String(await redis.call("CLUSTER", "INFO")));
  return { state: info.cluster_state ?? "unknown", primaries: Number(info.cluster_size ?? 0) };
}

async function factsOf(server: Redis, address: string | undefined, config: Config): Promise<ServerFacts> {
  const info = parseInfo(`${await server.info("server")}\n${await server.info("memory")}`);
  return {
    where: address ?? redactRedisUrl(config.redisUrl),
    version: info.redis_version ?? "unknown",
    policy: info.maxmemory_policy ?? "unknown",
    persistence: await redisPersistence(server),
  };
}

function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return fields;
}

function compareVersions(version: string, floor: number[]): number {
  const parts = version.split(".").map(Number);
  for (let i = 0; i < floor.length; i++) {
    const difference = (parts[i] ?? 0) - (floor[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
