import type { RedisClient } from "../core/redis-slots.js";
import { resolveSharedSecret, sharedSecretKey } from "./shared-secret.js";

const NAME = "safety-salt";

export function safetySaltKey(prefix: string): string {
  return sharedSecretKey(prefix, NAME);
}

/**
 * The key of the `safety_identifier` HMAC (`engine/safety.ts`): `SAFETY_IDENTIFIER_SALT`, or one made once and
 * kept in Redis (`shared-secret.ts`), so every process hashes a person to the same identifier.
 */
export function resolveSafetySalt(
  configured: string,
  shared: { redis: RedisClient; prefix: string } | undefined,
): Promise<string> {
  return resolveSharedSecret(NAME, configured, shared);
}
