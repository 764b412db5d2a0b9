import type { IncomingMessage } from "node:http";
import { UserError, userError } from "../../core/errors.js";
import { redirect } from "./http.js";
import { sendSignInPage } from "./pages.js";
import type { RouteRequest, StudioRoute } from "./routes.js";
import type { SignInProvider } from "./sign-in-provider.js";
import { studioPath } from "./sign-in-state.js";

const PROVIDER_NAMES = { discord: "Discord", slack: "Slack" } as const;

/**
 * Where Discord or Slack sends the browser back: `PUBLIC_BASE_URL`, else the address the browser used (the
 * provider accepts only the redirect URIs registered with it, so a forged Host signs nobody in).
 */
function callbackUrl(req: IncomingMessage, publicBaseUrl: string | undefined, provider: string): string {
  const host = req.headers.host ?? "";
  const base =
    publicBaseUrl?.replace(/\/+$/, "") ??
    (/^[\w.-]+(:\d+)?$|^\[[\d:a-f.]+\](:\d+)?$/i.test(host) ? `http://${host}` : "");
  if (base === "") throw userError("web_not_found");
  return `${base}/studio/auth/${provider}/callback`;
}

function providerOf({ params, deps }: RouteRequest): SignInProvider {
  const provider = deps.providers.find((each) => each.id === params[0]);
  if (provider === undefined) throw userError("web_not_found");
  return provider;
}

/** The callback's answer when no one is signed in: the sign-in page with the one sentence, no session. */
function refuse({ res, deps }: RouteRequest, error: UserError): void {
  const status = error.code === "sign_in_unavailable" ? 503 : error.code === "sign_in_cancelled" ? 200 : 403;
  sendSignInPage(res, deps.providers, error.message, status);
}

/** Sign in with Discord or Slack (`studio-api.ts`): off to the provider with a state, and back with a code. */
export const PROVIDER_ROUTES: StudioRoute[] = [
  {
    method: "GET",
    path: /^\/studio\/auth\/(discord|slack)$/,
    signedIn: false,
    async handle(request) {
      const { req, res, url, deps } = request;
      const provider = providerOf(request);
      const state = deps.signInStates.begin(res, provider.id, studioPath(url.searchParams.get("next")));
      const redirectUri = callbackUrl(req, deps.context.config.links.publicBaseUrl, provider.id);
      redirect(res, provider.authorizeUrl(state, redirectUri));
    },
  },
  {
    method: "GET",
    path: /^\/studio\/auth\/(discord|slack)\/callback$/,
    signedIn: false,
    async handle(request) {
      const { req, res, url, deps } = request;
      const provider = providerOf(request);
      const state = url.searchParams.get("state") ?? "";
      const started = deps.signInStates.finish(req, res, provider.id, state);
      try {
        if (started === undefined) throw userError("sign_in_state_mismatch");
        if (url.searchParams.has("error"))
          throw userError("sign_in_cancelled", { provider: PROVIDER_NAMES[provider.id] });
        const code = url.searchParams.get("code") ?? "";
        if (code === "") throw userError("sign_in_refused", { provider: PROVIDER_NAMES[provider.id] });
        const redirectUri = callbackUrl(req, deps.context.config.links.publicBaseUrl, provider.id);
        const user = await provider.userFor(code, redirectUri, state);
        deps.sessions.signIn(res, user);
        deps.logger.info({ platform: user.platform, userId: user.id }, "studio: signed in");
        redirect(res, started.next);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        deps.logger.info(
          { provider: provider.id, code: error.code, details: error.details },
          "studio: sign-in refused",
        );
        refuse(request, error);
      }
    },
  },
];
