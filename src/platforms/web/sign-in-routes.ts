import { errorEntry } from "../../core/error-codes.js";
import { userError } from "../../core/errors.js";
import { escapeHtml, redirect, sendHtml } from "./http.js";
import { OPERATOR } from "./operator-link.js";
import { page, sendAsset, sendPlainStyle, sendSignInPage, sendStudioPage } from "./pages.js";
import { PROVIDER_ROUTES } from "./provider-routes.js";
import type { StudioRoute } from "./routes.js";

const sentence = (code: "web_session_ended") => errorEntry(code).sentence as string;

/** The page, its files, and signing in and out. */
export const SIGN_IN_ROUTES: StudioRoute[] = [
  {
    method: "GET",
    path: /^\/studio\/?$/,
    signedIn: true,
    handle: ({ res, deps }) => sendStudioPage(res, deps.pageDir),
  },
  {
    method: "GET",
    path: /^\/studio\/plain\.css$/,
    signedIn: false,
    async handle({ res }) {
      sendPlainStyle(res);
    },
  },
  {
    method: "GET",
    path: /^\/studio\/assets\/(.+)$/,
    signedIn: false,
    async handle({ res, params, deps }) {
      if (!(await sendAsset(res, deps.pageDir, params[0] ?? ""))) throw userError("web_not_found");
    },
  },
  {
    method: "GET",
    path: /^\/studio\/sign-in$/,
    signedIn: false,
    async handle({ res, url, deps }) {
      const ended = url.searchParams.get("ended") === "1";
      const next = url.searchParams.get("next") ?? undefined;
      sendSignInPage(res, deps.providers, ended ? sentence("web_session_ended") : undefined, 200, next);
    },
  },
  {
    method: "GET",
    path: /^\/studio\/auth\/once$/,
    signedIn: false,
    async handle({ res, url, deps }) {
      if (!(await deps.operatorLinks.use(url.searchParams.get("token") ?? ""))) {
        const refusal = userError("web_once_link_used");
        return sendHtml(
          res,
          403,
          page("Sign in to the studio", `<p role="alert">${escapeHtml(refusal.message)}</p>`),
        );
      }
      deps.sessions.signIn(res, OPERATOR);
      redirect(res, "/studio/");
    },
  },
  {
    method: "POST",
    path: /^\/studio\/sign-out$/,
    signedIn: true,
    formCsrf: false,
    async handle({ res, deps }) {
      deps.sessions.signOut(res);
      redirect(res, "/studio/sign-in");
    },
  },
  // Sign in with Discord or Slack: provider-routes.ts.
  ...PROVIDER_ROUTES,
];
