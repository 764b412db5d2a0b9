import type { IncomingMessage, ServerResponse } from "node:http";
import { UserError, userError } from "../../core/errors.js";
import type { Logger } from "../../logger.js";
import type { PlatformContext } from "../platform.js";
import type { StudioEventHub } from "./event-hub.js";
import { redirect, sendError } from "./http.js";
import type { OperatorLinks } from "./operator-link.js";
import type { SignInProvider } from "./providers.js";
import { MAX_FORM_BYTES } from "./run-form.js";
import type { StudioSessions } from "./session.js";
import type { StudioUser } from "./studio-api.js";

/**
 * What the studio's routes share. A sign-in of another kind (an OAuth callback, an "Edit region" link) is a
 * route of the table in `index.ts` that calls `deps.sessions.signIn(res, user)`; `deps.sessions.sessionOf(req)`
 * reads who is signed in.
 */
export interface StudioDeps {
  context: PlatformContext;
  sessions: StudioSessions;
  hub: StudioEventHub;
  operatorLinks: OperatorLinks;
  providers: SignInProvider[];
  /** `dist/web/`: the built page. */
  pageDir: string;
  logger: Logger;
}

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The path pattern's groups. */
  params: string[];
  deps: StudioDeps;
}

export interface SignedInRequest extends RouteRequest {
  user: StudioUser;
  csrf: string;
}

/**
 * One route of `studio-api.ts`. `signedIn`: answered only for a session (else 401 for the API, the sign-in page
 * for a page). POSTs of a session need its CSRF token in `x-csrf-token`; `formCsrf` routes may carry it as a
 * form field instead and check it themselves once the form is read.
 */
export type StudioRoute =
  | { method: "GET" | "POST"; path: RegExp; signedIn: false; handle(request: RouteRequest): Promise<void> }
  | {
      method: "GET" | "POST";
      path: RegExp;
      signedIn: true;
      formCsrf?: boolean;
      handle(request: SignedInRequest): Promise<void>;
    };

const isApi = (path: string) => path.startsWith("/studio/api/");

/** The `/studio` mount's handler: finds the route, checks the session and CSRF, answers refusals. */
export function studioHandler(routes: readonly StudioRoute[], deps: StudioDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://studio");
    const method = req.method === "HEAD" ? "GET" : req.method;
    try {
      for (const route of routes) {
        const match = route.method === method ? route.path.exec(url.pathname) : null;
        if (match === null) continue;
        const request: RouteRequest = { req, res, url, params: match.slice(1).map(decodePart), deps };
        if (!route.signedIn) return await route.handle(request);
        const session = deps.sessions.sessionOf(req);
        if (session.kind !== "signed-in") {
          const ended = session.kind === "ended";
          if (ended) deps.sessions.signOut(res);
          if (isApi(url.pathname)) throw userError(ended ? "web_session_ended" : "web_signed_out");
          return redirect(res, ended ? "/studio/sign-in?ended=1" : "/studio/sign-in");
        }
        if (method === "POST" && !route.formCsrf && !deps.sessions.csrfMatches(req, session)) {
          throw userError("web_csrf_missing");
        }
        return await route.handle({ ...request, user: session.user, csrf: session.csrf });
      }
      throw userError("web_not_found");
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      if (res.headersSent) return void res.end();
      if (!req.complete) await discardRest(req, res);
      if (!res.destroyed) sendError(res, error);
    }
  };
}

/**
 * A refusal that came before the whole body did (a file over the cap, a file that is no image): the rest is read
 * and dropped, never kept, and the answer sent once it is in, so a browser still uploading reads the sentence
 * rather than a reset connection. A body declared larger than any form may be is not worth reading: that
 * connection closes after the answer.
 */
async function discardRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_FORM_BYTES) {
    res.setHeader("connection", "close");
    return;
  }
  let dropped = 0;
  const ended = new Promise<void>((resolve) => {
    req.on("end", resolve);
    req.on("close", resolve);
  });
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_FORM_BYTES) req.socket.destroy();
  });
  req.resume();
  await ended;
}

function decodePart(part: string | undefined): string {
  try {
    return decodeURIComponent(part ?? "");
  } catch {
    return "";
  }
}
