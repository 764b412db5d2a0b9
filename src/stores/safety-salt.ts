import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";

/** 256 bits, the size of an HMAC-SHA256 key: as hard to guess as the hash itself. */
const SALT_BYTES = 32;

export function safetySaltKey(prefix: string): string {
  return `${prefix}:safety-salt`;
}

/**
 * The key of the `safety_identifier` HMAC (`engine/safety.ts`): `SAFETY_IDENTIFIER_SALT` when the operator
 * sets one, otherwise random bytes made once and kept in Redis under the queue prefix without expiry, so
 * every worker process, restart and CLI run hashes a person to the same identifier (the first to ask writes
 * it with SET NX, everyone reads what won). `shared` is absent only for a CLI run without Redis: its salt is
 * made for that run. The salt is never logged.
 */
export async function resolveSafetySalt(
  configured: string,
  shared: { redis: Redis; prefix: string } | undefined,
): Promise<string> {
  if (configured !== "") return configured;
  const made = randomBytes(SALT_BYTES).toString("hex");
  if (shared === undefined) return made;
  const key = safetySaltKey(shared.prefix);
  await shared.redis.set(key, made, "NX");
  const salt = await shared.redis.get(key);
  // Only someone deleting the key between the two commands gets here; the job's retry makes a new one.
  if (salt === null) throw new Error(`${key} disappeared from Redis as it was read`);
  return salt;
}
