import type { Redis } from "ioredis";
import { errorMessage } from "../core/errors.js";
import type { RedisClient } from "../core/redis-slots.js";
import type { Logger } from "../logger.js";
import { nodeAddress, primaries } from "./connection.js";

/** What Redis keeps across its own restart: queued jobs live only there. */
export type RedisPersistence =
  | { kind: "keeps"; how: string }
  | { kind: "forgets" }
  /** CONFIG refused (managed Redis, an ACL without it): nothing known, nothing to blame. */
  | { kind: "unknown"; reason: string };

/** `CONFIG GET appendonly` and `CONFIG GET save`: persistence is an append-only file or RDB snapshots. */
export async function redisPersistence(redis: Redis): Promise<RedisPersistence> {
  let appendOnly: string;
  let save: string;
  try {
    appendOnly = await configValue(redis, "appendonly");
    save = await configValue(redis, "save");
  } catch (error) {
    return { kind: "unknown", reason: errorMessage(error) };
  }
  if (appendOnly === "yes") return { kind: "keeps", how: "an append-only file" };
  if (save.trim() !== "") return { kind: "keeps", how: `snapshots (save ${save.trim()})` };
  return { kind: "forgets" };
}

async function configValue(redis: Redis, name: string): Promise<string> {
  const reply = (await redis.config("GET", name)) as unknown;
  // A reply of [name, value]; an empty list means this server does not know the setting.
  const value = Array.isArray(reply) ? reply[1] : undefined;
  if (typeof value !== "string") throw new Error(`CONFIG GET ${name} gave no value`);
  return value;
}

export const FORGETS_ON_RESTART =
  "Redis keeps nothing across a restart (appendonly no, save empty): a restart loses every queued job, and their messages stay Queued; turn on appendonly yes";

/**
 * At start-up: a Redis that forgets on restart is worth a warning; one that cannot be asked is not an error. On
 * a cluster each primary is asked, as each holds its own share of the jobs.
 */
export async function warnIfRedisForgets(redis: RedisClient, logger: Logger): Promise<void> {
  for (const server of primaries(redis)) {
    const node = redis.isCluster ? { node: nodeAddress(server) } : {};
    const persistence = await redisPersistence(server);
    if (persistence.kind === "forgets") logger.warn(node, FORGETS_ON_RESTART);
    if (persistence.kind === "unknown")
      logger.info(
        { ...node, reason: persistence.reason },
        "could not check whether Redis keeps data across a restart",
      );
  }
}
