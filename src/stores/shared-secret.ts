import { randomBytes } from "node:crypto";
import type { RedisClient } from "../core/redis-slots.js";

/** 256 bits, the size of an HMAC-SHA256 key: as hard to guess as the hash itself. */
const SECRET_BYTES = 32;

export function sharedSecretKey(prefix: string, name: string): string {
  return `${prefix}:${name}`;
}

/**
 * An HMAC key every process must agree on: `configured` when the operator sets one, otherwise random bytes
 * made once and kept in Redis under the queue prefix without expiry, so every worker and bot process, restart
 * and CLI run uses the same (the first to ask writes it with SET NX, everyone reads what won). `shared` is
 * absent only for a CLI run without Redis: its secret is made for that run. Secrets are never logged.
 */
export async function resolveSharedSecret(
  name: string,
  configured: string,
  shared: { redis: RedisClient; prefix: string } | undefined,
): Promise<string> {
  if (configured !== "") return configured;
  const made = randomBytes(SECRET_BYTES).toString("hex");
  if (shared === undefined) return made;
  const key = sharedSecretKey(shared.prefix, name);
  await shared.redis.set(key, made, "NX");
  const secret = await shared.redis.get(key);
  // Only someone deleting the key between the two commands gets here; the job's retry makes a new one.
  if (secret === null) throw new Error(`${key} disappeared from Redis as it was read`);
  return secret;
}
