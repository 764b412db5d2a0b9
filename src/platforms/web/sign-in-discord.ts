import { DiscordAPIError, REST } from "@discordjs/rest";
import {
  type RESTGetAPICurrentUserGuildsResult,
  type RESTGetAPICurrentUserResult,
  type RESTPostOAuth2AccessTokenResult,
  Routes,
} from "discord-api-types/v10";
import type { DiscordConfig } from "../../config/types.js";
import { userError } from "../../core/errors.js";
import { originOf, type SignInProvider } from "./sign-in-provider.js";

/** The Discord configuration sign-in needs: the application (client) id and the client secret. */
export type DiscordSignInConfig = Pick<DiscordConfig, "apiUrl" | "access"> & {
  applicationId: string;
  signInSecret: string;
};

/** What Discord's OAuth2 refusals mean here: the person gets one sentence, the operator the reason in the log. */
function failure(error: unknown): never {
  if (error instanceof DiscordAPIError && error.status < 500) {
    // The request body (the client secret) stays out: only the status and Discord's error word.
    throw userError(
      "sign_in_refused",
      { provider: "Discord" },
      { details: { status: error.status, error: String(error.code) } },
    );
  }
  throw userError("sign_in_unavailable", { provider: "Discord" }, { details: { reason: String(error) } });
}

/**
 * "Sign in with Discord": the person's Discord id is the one the bot knows from commands, so budgets and
 * history match. `DISCORD_ALLOWED_GUILDS` asks for the `guilds` scope and wants the person in one of them;
 * channel and role lists need a server, which the studio is not. No Discord admin right carries over: it is
 * per server (Manage Server, `DISCORD_ADMIN_ROLE_IDS`), and the studio belongs to none.
 */
export function discordSignIn(config: DiscordSignInConfig): SignInProvider {
  const origin = originOf(config.apiUrl, "https://discord.com/api");
  const guilds = config.access.workspaces;
  const scope = guilds.length > 0 ? "identify guilds" : "identify";
  const rest = (token?: string) => {
    const client = new REST({
      authPrefix: "Bearer",
      retries: 1,
      ...(config.apiUrl ? { api: config.apiUrl } : {}),
    });
    return token === undefined ? client : client.setToken(token);
  };
  return {
    id: "discord",
    label: "Sign in with Discord",
    authorizeUrl(state, redirectUri) {
      const url = new URL("/oauth2/authorize", origin);
      url.search = new URLSearchParams({
        client_id: config.applicationId,
        response_type: "code",
        redirect_uri: redirectUri,
        scope,
        state,
      }).toString();
      return url.toString();
    },
    async userFor(code, redirectUri) {
      const token = (await rest()
        .post(Routes.oauth2TokenExchange(), {
          auth: false,
          passThroughBody: true,
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "authorization_code",
            code,
            redirect_uri: redirectUri,
            client_id: config.applicationId,
            client_secret: config.signInSecret,
          }),
        })
        .catch(failure)) as RESTPostOAuth2AccessTokenResult;
      const asPerson = rest(token.access_token);
      const me = (await asPerson.get(Routes.user()).catch(failure)) as RESTGetAPICurrentUserResult;
      if (guilds.length > 0) {
        const theirs = (await asPerson
          .get(Routes.userGuilds())
          .catch(failure)) as RESTGetAPICurrentUserGuildsResult;
        if (!theirs.some((guild) => guilds.includes(guild.id))) {
          throw userError("sign_in_not_allowed", { reason: "guild" }, { details: { user: me.id } });
        }
      }
      return { platform: "discord", id: me.id, name: me.global_name ?? me.username, admin: false };
    },
  };
}
