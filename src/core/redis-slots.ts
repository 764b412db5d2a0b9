import type { Cluster, Redis } from "ioredis";

/** A connection to one Redis (REDIS_URL) or to a Redis Cluster (REDIS_CLUSTER_NODES): the same commands. */
export type RedisClient = Redis | Cluster;

/** Redis Cluster hashes only a key's hash tag: what lies between its first `{` and the next `}`, if not empty. */
const HASH_TAG = /\{[^}]+\}/;

/**
 * `part` of a key, made the part Redis Cluster hashes (`{part}`), so that every key that holds it lands in one
 * hash slot and a Lua script or MULTI can touch them together. One Redis has no slots: there the braces are
 * left out and the key names stay those earlier releases wrote, so an upgrade finds its budgets' counters,
 * threads and queued jobs where they were. A part that already has a hash tag (a QUEUE_PREFIX of `{imagine}`,
 * as BullMQ's docs advise) is left as it is: that tag already decides the slot.
 */
export function slotted(redis: RedisClient, part: string): string {
  return redis.isCluster && !HASH_TAG.test(part) ? `{${part}}` : part;
}

/**
 * The prefix BullMQ's queues get: BullMQ runs each queue's Lua scripts over all of that queue's keys, so on a
 * cluster the prefix is one hash tag, and every queue (one per platform, the maintenance queue) lives in it.
 */
export function queueKeyPrefix(redis: RedisClient, prefix: string): string {
  return slotted(redis, prefix);
}
