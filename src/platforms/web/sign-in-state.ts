import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sameSecret } from "../../observability/same-secret.js";
import { cookieValue } from "./session.js";

/** The cookie holding a sign-in's `state` between the redirect to Discord or Slack and the way back. */
export const SIGN_IN_COOKIE = "imagine_studio_sign_in";
/** Only the sign-in routes ever receive it. */
const COOKIE_PATH = "/studio/auth";
/** Long enough to read a consent page, short enough that an old tab's callback no longer signs in. */
const STATE_LIFE_SECONDS = 10 * 60;

interface StatePayload {
  state: string;
  provider: string;
  /** Where to go once signed in: a studio path (a pending "Edit region" link), never another site. */
  next: string;
  expires: number;
}

export interface SignInStates {
  /** A fresh random state for `provider`, set in the cookie on `res`; the caller sends it to the provider. */
  begin(res: ServerResponse, provider: string, next: string): string;
  /**
   * The cookie's sign-in when `state` (the callback's) is the one it holds for `provider` and not expired; it is
   * cleared either way, so the browser brings a state back once. Undefined for a tampered, replayed or foreign callback.
   */
  finish(
    req: IncomingMessage,
    res: ServerResponse,
    provider: string,
    state: string,
  ): { next: string } | undefined;
}

/** Only paths of the studio itself: `//evil.example` or `https://…` would make sign-in an open redirect. */
export function studioPath(next: string | null): string {
  return next !== null && /^\/studio\/[^\\]*$/.test(next) && !next.startsWith("//") ? next : "/studio/";
}

/** Sign-in states in a signed, `HttpOnly`, `SameSite=Lax` cookie (Lax: the provider's redirect back is a top-level GET). */
export function signInStates(options: { secret: string; secure: boolean; now?: () => number }): SignInStates {
  const now = options.now ?? Date.now;
  // Its own purpose in the MAC: a session cookie's signature never passes for a state's, nor the reverse.
  const sign = (body: string) =>
    createHmac("sha256", options.secret).update(`sign-in-state:${body}`).digest();
  const setCookie = (res: ServerResponse, value: string, seconds: number) =>
    res.appendHeader(
      "set-cookie",
      [
        `${SIGN_IN_COOKIE}=${value}`,
        `Path=${COOKIE_PATH}`,
        "HttpOnly",
        "SameSite=Lax",
        ...(options.secure ? ["Secure"] : []),
        `Max-Age=${seconds}`,
      ].join("; "),
    );
  return {
    begin(res, provider, next) {
      const state = randomBytes(24).toString("base64url");
      const payload: StatePayload = { state, provider, next, expires: now() + STATE_LIFE_SECONDS * 1000 };
      const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
      setCookie(res, `${body}.${sign(body).toString("base64url")}`, STATE_LIFE_SECONDS);
      return state;
    },
    finish(req, res, provider, state) {
      const cookie = cookieValue(req, SIGN_IN_COOKIE) ?? "";
      setCookie(res, "", 0);
      const [body = "", mac = "", ...rest] = cookie.split(".");
      const given = Buffer.from(mac, "base64url");
      const expected = sign(body);
      if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected))
        return undefined;
      let payload: StatePayload;
      try {
        payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as StatePayload;
      } catch {
        return undefined;
      }
      if (payload.expires <= now() || payload.provider !== provider || !sameSecret(state, payload.state)) {
        return undefined;
      }
      return { next: studioPath(payload.next) };
    },
  };
}
