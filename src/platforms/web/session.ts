import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sameSecret } from "../../observability/same-secret.js";
import type { StudioUser } from "./studio-api.js";

/** The session cookie's name; scoped to `/studio`, so no other path of the endpoint ever receives it. */
export const SESSION_COOKIE = "imagine_studio";
export const STUDIO_PATH = "/studio";

/** The session's HMAC key's name among the shared secrets (`<QUEUE_PREFIX>:studio-session-secret` in Redis). */
export const SESSION_SECRET_NAME = "studio-session-secret";

/** What the cookie holds, signed: who, the form token of this sign-in, and until when (ms since the epoch). */
interface SessionPayload {
  user: StudioUser;
  csrf: string;
  expires: number;
}

/** A signed-in person, no cookie at all, or a cookie that no longer opens anything (rotated secret, expired). */
export type SessionState =
  | { kind: "signed-in"; user: StudioUser; csrf: string }
  | { kind: "none" }
  | { kind: "ended" };

export interface StudioSessions {
  /** Signs `user` in on this response (a fresh form token); the caller then redirects or answers. */
  signIn(res: ServerResponse, user: StudioUser): void;
  sessionOf(req: IncomingMessage): SessionState;
  signOut(res: ServerResponse): void;
  /** Whether a POST carries this session's form token (`x-csrf-token`, or the form's `csrf` field). */
  csrfMatches(req: IncomingMessage, session: { csrf: string }, formField?: string): boolean;
}

const base64url = (bytes: Buffer | string) => Buffer.from(bytes).toString("base64url");

function sign(secret: string, body: string): Buffer {
  return createHmac("sha256", secret).update(body).digest();
}

/**
 * Sessions in one signed cookie (HMAC-SHA256 over the payload): nothing to store, and every process that
 * shares the secret reads them. A cookie signed with another secret (rotated) or past its expiry reads as
 * `ended`, so the person is told why they must sign in again.
 */
export function studioSessions(options: {
  secret: string;
  hours: number;
  /** `Secure` cookies: the studio is reached over https (`PUBLIC_BASE_URL`). */
  secure: boolean;
  now?: () => number;
}): StudioSessions {
  const now = options.now ?? Date.now;
  const attributes = [
    `Path=${STUDIO_PATH}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(options.secure ? ["Secure"] : []),
  ];
  const setCookie = (res: ServerResponse, value: string, maxAgeSeconds: number) =>
    res.appendHeader(
      "set-cookie",
      [`${SESSION_COOKIE}=${value}`, ...attributes, `Max-Age=${maxAgeSeconds}`].join("; "),
    );
  return {
    signIn(res, user) {
      const seconds = Math.round(options.hours * 3600);
      const payload: SessionPayload = {
        user,
        csrf: randomBytes(24).toString("base64url"),
        expires: now() + seconds * 1000,
      };
      const body = base64url(JSON.stringify(payload));
      setCookie(res, `${body}.${base64url(sign(options.secret, body))}`, seconds);
    },
    sessionOf(req) {
      const cookie = cookieValue(req, SESSION_COOKIE);
      if (cookie === undefined || cookie === "") return { kind: "none" };
      const payload = verified(cookie, options.secret);
      if (payload === undefined || payload.expires <= now()) return { kind: "ended" };
      return { kind: "signed-in", user: payload.user, csrf: payload.csrf };
    },
    signOut(res) {
      setCookie(res, "", 0);
    },
    csrfMatches(req, session, formField) {
      const header = req.headers["x-csrf-token"];
      const given = (Array.isArray(header) ? header[0] : header) ?? formField ?? "";
      return sameSecret(given, session.csrf);
    },
  };
}

function verified(cookie: string, secret: string): SessionPayload | undefined {
  const [body, mac, ...rest] = cookie.split(".");
  if (body === undefined || mac === undefined || rest.length > 0) return undefined;
  const given = Buffer.from(mac, "base64url");
  const expected = sign(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as SessionPayload;
  } catch {
    return undefined;
  }
}

/** One cookie's value from the `Cookie` header, or undefined. */
export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
