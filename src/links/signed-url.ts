import { createHmac, timingSafeEqual } from "node:crypto";

/** The links' HMAC key's name among the shared secrets (`<QUEUE_PREFIX>:link-secret` in Redis). */
export const LINK_SECRET_NAME = "link-secret";

/** Where the bot's HTTP endpoint serves originals: `/originals/<run>/final_<i>.<ext>`. */
export const ORIGINALS_PATH = "/originals";

/**
 * The only keys a link can name: a run's final images. Inputs, partials and metadata are never served, and
 * the shape leaves no room for `..`, a second slash or an empty name.
 */
const FINAL_KEY = /^[\w-]+\/final_\d+\.(?:png|jpg|webp|gif|svg)$/;

export function isFinalKey(key: string): boolean {
  return FINAL_KEY.test(key);
}

function signature(secret: string, key: string, expires: number): string {
  // The expiry is signed with the key: moving it later breaks the signature.
  return createHmac("sha256", secret).update(`${key}\n${expires}`).digest("hex");
}

/** `<base>/originals/<key>?expires=<unix s>&signature=<hex>`: anyone with it may fetch the key until then. */
export function signOriginalUrl(baseUrl: string, secret: string, key: string, expiresAt: Date): string {
  if (!isFinalKey(key)) throw new Error(`not a final image's key: ${key}`);
  const expires = Math.floor(expiresAt.getTime() / 1000);
  // The key's shape needs no escaping. A base with a path (https://example.com/bot) keeps it: the proxy in
  // front strips it before the bot sees the request.
  const base = baseUrl.replace(/\/+$/, "");
  return `${base}${ORIGINALS_PATH}/${key}?expires=${expires}&signature=${signature(secret, key, expires)}`;
}

export type LinkCheck = { ok: true; key: string } | { ok: false; status: 403 | 404; reason: string };

/**
 * Checks what a link's request asks for, from the path under `/originals/` and its query: a final's key,
 * signed with `secret`, not expired at `now`. Refusals say little: a prober learns nothing about what exists.
 */
export function checkOriginalRequest(
  pathUnderOriginals: string,
  query: URLSearchParams,
  secret: string,
  now = new Date(),
): LinkCheck {
  let key: string;
  try {
    key = decodeURIComponent(pathUnderOriginals);
  } catch {
    return { ok: false, status: 404, reason: "not found" };
  }
  if (!isFinalKey(key)) return { ok: false, status: 404, reason: "not found" };
  const expires = Number(query.get("expires"));
  const given = Buffer.from(query.get("signature") ?? "", "hex");
  const expected = Buffer.from(signature(secret, key, expires), "hex");
  if (
    !Number.isSafeInteger(expires) ||
    given.length !== expected.length ||
    !timingSafeEqual(given, expected)
  ) {
    return { ok: false, status: 403, reason: "this link is not valid" };
  }
  if (expires * 1000 <= now.getTime()) return { ok: false, status: 403, reason: "this link has expired" };
  return { ok: true, key };
}
