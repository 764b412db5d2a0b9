import { format } from "node:util";
import { webApi } from "@slack/bolt";
import { checkAccess } from "../../access/access-list.js";
import type { SlackConfig } from "../../config/types.js";
import { userError } from "../../core/errors.js";
import { scrubSecrets } from "../../log-safety.js";
import type { Logger } from "../../logger.js";
import { nonceFor, originOf, type SignInProvider } from "./sign-in-provider.js";

/** The Slack configuration sign-in needs: the app's client id and secret, the access lists and admins. */
export type SlackSignInConfig = Pick<SlackConfig, "apiUrl" | "access" | "adminUserIds"> & {
  signIn: { clientId: string; clientSecret: string };
};

const USER_ID = "https://slack.com/user_id";
const TEAM_ID = "https://slack.com/team_id";

/** The Web API client's text lines through pino, scrubbed: redaction paths never see inside formatted text. */
function clientLogger(logger: Logger): webApi.Logger {
  const line = (parts: unknown[]) => scrubSecrets(format(...parts));
  return {
    debug: (...parts) => logger.debug(line(parts)),
    info: (...parts) => logger.info(line(parts)),
    warn: (...parts) => logger.warn(line(parts)),
    error: (...parts) => logger.error(line(parts)),
    setLevel: () => undefined,
    getLevel: () => webApi.LogLevel.INFO,
    setName: () => undefined,
  };
}

function failure(error: unknown): never {
  // `ok: false` (invalid_code, bad_client_secret…) is Slack saying no; anything else is Slack out of reach.
  const said = (error as { code?: unknown; data?: { error?: unknown } }).data?.error;
  if ((error as { code?: unknown }).code === webApi.ErrorCode.PlatformError && typeof said === "string") {
    throw userError("sign_in_refused", { provider: "Slack" }, { details: { error: said } });
  }
  throw userError(
    "sign_in_unavailable",
    { provider: "Slack" },
    { details: { reason: scrubSecrets(String(error)) } },
  );
}

/** The claims of an id token Slack just handed over TLS: read, not verified (OpenID Connect Core 3.1.3.7). */
function idTokenClaims(idToken: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(idToken?.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}

/**
 * "Sign in with Slack" (OpenID Connect): the person's member id and team are the ones the bot knows from
 * commands, so budgets and history match; `SLACK_ALLOWED_TEAMS` and `SLACK_ALLOWED_USERS` apply here (channel
 * lists need a channel, which the studio is not), and `SLACK_ADMIN_USER_IDS` are admins.
 */
export function slackSignIn(config: SlackSignInConfig, logger: Logger): SignInProvider {
  const origin = originOf(config.apiUrl, "https://slack.com/api/");
  const client = (token?: string) =>
    new webApi.WebClient(token, {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      logger: clientLogger(logger.child({ component: "slack-sign-in" })),
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    });
  // One workspace allowed: Slack asks the person to sign in to that one (`team`), not to pick.
  const team = config.access.workspaces.length === 1 ? config.access.workspaces[0] : undefined;
  return {
    id: "slack",
    label: "Sign in with Slack",
    authorizeUrl(state, redirectUri) {
      const url = new URL("/openid/connect/authorize", origin);
      url.search = new URLSearchParams({
        response_type: "code",
        scope: "openid profile",
        client_id: config.signIn.clientId,
        redirect_uri: redirectUri,
        state,
        nonce: nonceFor(state),
        ...(team === undefined ? {} : { team }),
      }).toString();
      return url.toString();
    },
    async userFor(code, redirectUri, state) {
      const token = await client()
        .openid.connect.token({
          client_id: config.signIn.clientId,
          client_secret: config.signIn.clientSecret,
          code,
          redirect_uri: redirectUri,
        })
        .catch(failure);
      // An id token made for another sign-in (its nonce from another state) is someone else's answer.
      if (idTokenClaims(token.id_token).nonce !== nonceFor(state)) {
        throw userError("sign_in_refused", { provider: "Slack" }, { details: { error: "nonce_mismatch" } });
      }
      const info = await client(token.access_token).openid.connect.userInfo().catch(failure);
      const id = info[USER_ID];
      const workspace = info[TEAM_ID];
      if (id === undefined || workspace === undefined) {
        throw userError("sign_in_refused", { provider: "Slack" }, { details: { error: "no_user_id" } });
      }
      const verdict = checkAccess({ ...config.access, channels: [] }, { workspace, user: id });
      if (!verdict.allowed) {
        const reason = verdict.reason === "workspace" ? "workspace" : "user";
        throw userError("sign_in_not_allowed", { reason }, { details: { user: id, workspace } });
      }
      const name = info.name ?? info.given_name ?? id;
      return { platform: "slack", id, workspace, name, admin: config.adminUserIds.includes(id) };
    },
  };
}
