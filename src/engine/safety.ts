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

/**
 * `safetyIdentifier` with a salt fetched on first use (`stores/safety-salt.ts`) and kept for the life of the
 * process; a fetch that fails is tried again by the next job instead of failing every later one.
 */
export function saltedSafetyIdentifier(
  salt: () => Promise<string>,
): (platform: string, userId: string) => Promise<string> {
  let pending: Promise<string> | undefined;
  return async (platform, userId) => {
    pending ??= salt().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return safetyIdentifier(platform, userId, await pending);
  };
}

/**
 * Sent parameters as `metadata.json` keeps them and Details shows them: the identifier becomes `(set)`.
 * Anyone who sees a result can open its Details, and the identifier is OpenAI's handle on the person who
 * asked (an older release, without a configured salt, hashed it with an empty key: anyone could recompute it).
 */
export function withoutSafetyIdentifier(parameters: Record<string, unknown>): Record<string, unknown> {
  if (parameters.safety_identifier === undefined) return parameters;
  return { ...parameters, safety_identifier: "(set)" };
}
