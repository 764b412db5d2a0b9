import { createHmac } from "node:crypto";

/**
 * The value sent as OpenAI's `safety_identifier`: a hex HMAC-SHA256 of the platform and user id, keyed by
 * the operator's salt. OpenAI only needs a stable per-person handle to attribute abuse; sending the raw
 * Discord or Slack id would hand it an identifier it can join with other data. The salt makes the hash
 * unguessable from a known id (ids are short, so an unsalted hash could be brute-forced), and the NUL
 * separator keeps `("a", "bc")` and `("ab", "c")` apart.
 */
export function safetyIdentifier(platform: string, userId: string, salt: string): string {
  return createHmac("sha256", salt).update(`${platform}\u0000${userId}`).digest("hex");
}
