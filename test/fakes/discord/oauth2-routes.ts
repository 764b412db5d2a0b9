import type { ServerResponse } from "node:http";
import { DiscordHttpError, unauthorized } from "./http.js";
import { escapeHtml, guild, redirectBack, sendConsentPage, sendHtml } from "./oauth2.js";
import { ok, type Route, type RouteContext } from "./route-helpers.js";
import type { FakeWorld } from "./state.js";
import type { RecordedRequest } from "./types.js";

const form = (request: RecordedRequest) => (request.json ?? {}) as Record<string, string>;

/**
 * The browser half of Discord's OAuth2, on the fake's origin as on `https://discord.com`: `GET /oauth2/authorize`
 * shows the consent page (or Discord's error page for bad parameters), its form posts back here, and Authorize
 * redirects to the app's `redirect_uri` with a code and the state (Cancel: `error=access_denied`). Returns
 * whether the request was one of these.
 */
export function answerAuthorizePage(
  world: FakeWorld,
  request: RecordedRequest,
  res: ServerResponse,
): boolean {
  if (!/^\/(api\/(v\d+\/)?)?oauth2\/authorize$/.test(request.path)) return false;
  const params = request.method === "POST" ? form(request) : request.query;
  const grant = world.oauth.checkAuthorize(params, world.applicationId);
  if ("error" in grant) {
    request.status = 400;
    sendHtml(res, 400, `<h1>Something went wrong</h1><p id="error">${escapeHtml(grant.error)}</p>`);
    return true;
  }
  if (request.method !== "POST") {
    request.status = 200;
    sendConsentPage(res, grant, params);
    return true;
  }
  request.status = 302;
  const state = params.state ?? "";
  if (params.authorize !== "true") {
    const description = "The resource owner or authorization server denied the request";
    redirectBack(res, grant.redirectUri, { error: "access_denied", error_description: description, state });
    return true;
  }
  redirectBack(res, grant.redirectUri, { code: world.oauth.issueCode(grant), state });
  return true;
}

/** `/users/@me` answers the bot for a bot token and the person for one of their access tokens. */
function currentUser({ world, request }: RouteContext) {
  if (request.headers.authorization === `Bot ${world.token}`)
    return ok({ ...world.botUser, verified: true, flags: 0 });
  const grant = world.oauth.bearer(request.headers.authorization);
  if (grant === undefined) throw unauthorized();
  return ok({
    ...grant.user,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    locale: "en-US",
    mfa_enabled: false,
  });
}

/** The person's guilds with the `guilds` scope: the fake's one guild for its members, another for the outsider. */
function currentUserGuilds({ world, request }: RouteContext) {
  const ours = guild(world.guildId, "Fake Guild", false);
  if (request.headers.authorization === `Bot ${world.token}`) return ok([ours]);
  const grant = world.oauth.bearer(request.headers.authorization);
  if (grant === undefined) throw unauthorized();
  if (!grant.scopes.includes("guilds")) throw new DiscordHttpError(403, 50001, "Missing Access");
  return ok(grant.user.id === world.oauth.outsider.id ? [world.oauth.outsiderGuild] : [ours]);
}

export const OAUTH2_ROUTES: Route[] = [
  {
    method: "POST",
    pattern: /^\/oauth2\/token$/,
    bot: false,
    handler: ({ world, request }) => {
      // Discord reads this endpoint's body as a form only.
      const body = request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")
        ? form(request)
        : {};
      return world.oauth.exchange(body, request.headers.authorization);
    },
  },
  { method: "GET", pattern: /^\/users\/@me$/, bot: false, handler: currentUser },
  { method: "GET", pattern: /^\/users\/@me\/guilds$/, bot: false, handler: currentUserGuilds },
];
