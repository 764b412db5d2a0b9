import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether a credential someone sent is the configured one, in constant time: compared as SHA-256 digests, so
 * the lengths are equal for `timingSafeEqual` and no early exit times the first wrong byte. Empty never matches.
 */
export function sameSecret(given: string, expected: string): boolean {
  return given !== "" && expected !== "" && timingSafeEqual(digest(given), digest(expected));
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
