import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { snowflake } from "./snowflake.js";
import type { FakeUser } from "./types.js";

/** Discord's authorization codes last 10 minutes; access tokens a week. */
const CODE_LIFE_MS = 10 * 60_000;
const TOKEN_LIFE_S = 604_800;
/** The scopes the fake knows; Discord knows more, but the bot asks for no others. */
const KNOWN_SCOPES = new Set(["identify", "guilds", "email", "openid"]);

interface Grant {
  user: FakeUser;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
}

/** A guild as `GET /users/@me/guilds` lists it. */
export interface FakeUserGuild {
  id: string;
  name: string;
  icon: null;
  banner: null;
  owner: boolean;
  permissions: string;
  features: string[];
}

export type TokenAnswer = { status: number; body: Record<string, unknown> };

/**
 * The fake's OAuth2 (authorization code grant): who is signed in to the fake's "discord.com" in the browser, the
 * redirect URIs registered in the developer portal, the application's client secret, and the codes and access
 * tokens it gave out. Every refusal is Discord's own (`invalid_grant`, `invalid_client`, an error page).
 */
export class FakeOAuth2 {
  /** Registered in the developer portal's OAuth2 tab: an authorize naming another one is refused. */
  readonly redirectUris = new Set<string>();
  /** Someone in no guild the bot is in, for the allowed-guilds rule. */
  readonly outsider: FakeUser = {
    id: snowflake(),
    username: "carol",
    global_name: "carol",
    discriminator: "0",
    avatar: null,
  };
  readonly outsiderGuild: FakeUserGuild;
  /** Who the browser is signed in to Discord as: the consent page's person (`?as=<userId>` overrides it). */
  signedIn: FakeUser;
  private readonly codes = new Map<string, Grant & { used: boolean }>();
  private readonly tokens = new Map<string, Grant>();

  constructor(
    private readonly people: () => FakeUser[],
    readonly clientSecret: string,
  ) {
    const [first] = people();
    if (first === undefined) throw new Error("the fake Discord has nobody to sign in");
    this.signedIn = first;
    this.outsiderGuild = guild(snowflake(), "elsewhere", true);
  }

  /** Everyone who can sign in: the guild's people and the outsider. */
  everyone(): FakeUser[] {
    return [...this.people(), this.outsider];
  }

  /** The reason Discord shows on its error page for these authorize parameters, or the grant they ask for. */
  checkAuthorize(
    query: Record<string, string>,
    applicationId: string,
  ): { error: string } | Omit<Grant, "expiresAt"> {
    if (query.client_id !== applicationId) return { error: "Unknown Application" };
    if (query.response_type !== "code") return { error: "Invalid OAuth2 response_type" };
    const redirectUri = query.redirect_uri ?? "";
    if (!this.redirectUris.has(redirectUri)) return { error: "Invalid OAuth2 redirect_uri" };
    const scopes = (query.scope ?? "").split(/[ +]/).filter(Boolean);
    if (scopes.length === 0 || scopes.some((scope) => !KNOWN_SCOPES.has(scope))) {
      return { error: "Invalid scope" };
    }
    // Stricter than Discord, which lets `state` be left out: a sign-in without it is open to CSRF.
    if (!query.state)
      return { error: "Missing state (the fake insists: without it, sign-in is open to CSRF)" };
    const user = query.as ? this.everyone().find((person) => person.id === query.as) : this.signedIn;
    if (user === undefined) return { error: `Nobody with id ${query.as} can sign in to the fake Discord` };
    return { user, clientId: applicationId, redirectUri, scopes };
  }

  /** The person pressed Authorize: a code for the redirect. */
  issueCode(grant: Omit<Grant, "expiresAt">): string {
    const code = randomBytes(15).toString("base64url");
    this.codes.set(code, { ...grant, expiresAt: Date.now() + CODE_LIFE_MS, used: false });
    return code;
  }

  /** `POST /oauth2/token` with `grant_type=authorization_code`. */
  exchange(form: Record<string, string>, authorization: string | undefined): TokenAnswer {
    const client = clientCredentials(form, authorization);
    if (client === undefined || client.secret !== this.clientSecret) {
      return { status: 401, body: { error: "invalid_client" } };
    }
    if (form.grant_type !== "authorization_code") {
      return { status: 400, body: { error: "unsupported_grant_type" } };
    }
    const grant = this.codes.get(form.code ?? "");
    if (grant === undefined || grant.used || grant.expiresAt < Date.now() || grant.clientId !== client.id) {
      return invalidGrant('Invalid "code" in request.');
    }
    // Discord burns a code on its first use, even when the rest of the request is wrong.
    grant.used = true;
    if (form.redirect_uri !== grant.redirectUri) return invalidGrant('Invalid "redirect_uri" in request.');
    const accessToken = randomBytes(22).toString("base64url");
    this.tokens.set(accessToken, { ...grant, expiresAt: Date.now() + TOKEN_LIFE_S * 1000 });
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: TOKEN_LIFE_S,
        refresh_token: randomBytes(22).toString("base64url"),
        scope: grant.scopes.join(" "),
      },
    };
  }

  /** The grant behind `Authorization: Bearer <token>`, if it is one the fake gave and still valid. */
  bearer(authorization: string | undefined): Grant | undefined {
    const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    const grant = token === undefined ? undefined : this.tokens.get(token);
    return grant !== undefined && grant.expiresAt > Date.now() ? grant : undefined;
  }
}

export function guild(id: string, name: string, owner: boolean): FakeUserGuild {
  // 104324673: a member's default permissions; an owner has every bit.
  return {
    id,
    name,
    icon: null,
    banner: null,
    owner,
    permissions: owner ? "2251799813685247" : "104324673",
    features: [],
  };
}

const invalidGrant = (description: string): TokenAnswer => ({
  status: 400,
  body: { error: "invalid_grant", error_description: description },
});

/** Client id and secret by HTTP Basic auth or in the form, as Discord takes either. */
function clientCredentials(
  form: Record<string, string>,
  authorization: string | undefined,
): { id: string; secret: string } | undefined {
  const basic = /^Basic (.+)$/.exec(authorization ?? "")?.[1];
  if (basic !== undefined) {
    const [id, ...secret] = Buffer.from(basic, "base64").toString("utf8").split(":");
    return id === undefined ? undefined : { id, secret: secret.join(":") };
  }
  if (form.client_id === undefined || form.client_secret === undefined) return undefined;
  return { id: form.client_id, secret: form.client_secret };
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Discord's consent screen, reduced: who is signed in, what the app asks for, Authorize or Cancel. */
export function sendConsentPage(
  res: ServerResponse,
  grant: Omit<Grant, "expiresAt">,
  query: Record<string, string>,
): void {
  const hidden = ["client_id", "response_type", "redirect_uri", "scope", "state", "prompt"]
    .filter((name) => query[name] !== undefined)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(query[name] ?? "")}">`)
    .join("");
  const scopes = grant.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join("");
  const name = escapeHtml(grant.user.global_name ?? grant.user.username);
  sendHtml(
    res,
    200,
    `<h1>imagine wants to access your Discord account</h1>
<p>Signed in as <strong id="person">${name}</strong></p><p>This will allow the developer to:</p><ul>${scopes}</ul>
<form method="post" action="/oauth2/authorize">${hidden}<input type="hidden" name="as" value="${grant.user.id}">
<button name="authorize" value="true" type="submit">Authorize</button>
<button name="authorize" value="false" type="submit">Cancel</button></form>`,
  );
}

export function sendHtml(res: ServerResponse, status: number, body: string): void {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Discord</title></head><body>${body}</body></html>`;
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(page),
  });
  res.end(page);
}

/** Where the browser goes after Authorize or Cancel: the app's redirect URI with a code, or `access_denied`. */
export function redirectBack(res: ServerResponse, redirectUri: string, params: Record<string, string>): void {
  const to = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) to.searchParams.set(name, value);
  res.writeHead(302, { location: to.toString() });
  res.end();
}
