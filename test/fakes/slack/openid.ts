import { createSign, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";

/** Slack's authorization codes last 10 minutes. */
const CODE_LIFE_MS = 10 * 60_000;
const ID_TOKEN_LIFE_S = 3_600;

/** A person of the fake workspace (or another) who can sign in with Slack. */
export interface SlackPerson {
  user: string;
  team: string;
  name: string;
}

interface Grant {
  person: SlackPerson;
  redirectUri: string;
  nonce: string | undefined;
}

export type OpenIdAnswer = Record<string, unknown>;

const fail = (error: string): OpenIdAnswer => ({ ok: false, error });

/**
 * Sign in with Slack (OpenID Connect): the app's client id, secret and redirect URLs, who the browser is signed
 * in to Slack as, the codes and user tokens given out, and the RS256 key `id_token`s are signed with (published
 * at `/openid/connect/keys`). Refusals are Slack's: `ok: false` with `invalid_code`, `bad_client_secret`…
 */
export class FakeOpenId {
  readonly redirectUris = new Set<string>();
  signedIn: SlackPerson;
  private readonly codes = new Map<string, Grant & { used: boolean; expiresAt: number }>();
  private readonly tokens = new Map<string, SlackPerson>();
  private readonly key: { privateKey: KeyObject; publicKey: KeyObject; kid: string };

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
    person: SlackPerson,
  ) {
    this.signedIn = person;
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.key = { ...pair, kid: randomBytes(6).toString("hex") };
  }

  /** The reason Slack's authorize page shows for these parameters, or the grant they ask for. */
  checkAuthorize(query: Record<string, string>): { error: string } | Grant {
    if (query.client_id !== this.clientId) return { error: "invalid_client_id" };
    if (query.response_type !== "code") return { error: "invalid_response_type" };
    const scopes = new Set((query.scope ?? "").split(/[ ,+]/).filter(Boolean));
    if (
      !scopes.has("openid") ||
      [...scopes].some((scope) => !["openid", "profile", "email"].includes(scope))
    ) {
      return { error: "invalid_scope" };
    }
    const redirectUri = query.redirect_uri ?? "";
    if (!this.redirectUris.has(redirectUri)) return { error: "bad_redirect_uri" };
    if (!query.state)
      return { error: "Missing state (the fake insists: without it, sign-in is open to CSRF)" };
    const person = query.as ? { ...this.signedIn, user: query.as } : this.signedIn;
    // `team` asks Slack to sign in to that workspace: a person signed in elsewhere is asked to switch.
    if (query.team && query.team !== person.team) return { error: "team_mismatch" };
    return { person, redirectUri, nonce: query.nonce };
  }

  issueCode(grant: Grant): string {
    const code = `${Date.now()}.${randomBytes(16).toString("hex")}`;
    this.codes.set(code, { ...grant, used: false, expiresAt: Date.now() + CODE_LIFE_MS });
    return code;
  }

  /** `openid.connect.token`: the client by Basic auth or form fields, a code once, with its redirect URI. */
  exchange(args: Record<string, unknown>, authorization: string | undefined): OpenIdAnswer {
    const client = clientOf(args, authorization);
    if (client.id !== this.clientId) return fail("invalid_client_id");
    if (client.secret !== this.clientSecret) return fail("bad_client_secret");
    if (args.grant_type !== undefined && args.grant_type !== "authorization_code")
      return fail("invalid_grant_type");
    const grant = this.codes.get(String(args.code ?? ""));
    if (grant === undefined || grant.used || grant.expiresAt < Date.now()) return fail("invalid_code");
    grant.used = true;
    if (args.redirect_uri !== grant.redirectUri) return fail("bad_redirect_uri");
    const accessToken = `xoxp-${randomBytes(12).toString("hex")}`;
    this.tokens.set(accessToken, grant.person);
    return { ok: true, access_token: accessToken, token_type: "Bearer", id_token: this.idToken(grant) };
  }

  /** `openid.connect.userInfo` with the user token the exchange gave. */
  userInfo(token: string | undefined): OpenIdAnswer {
    const person = token === undefined ? undefined : this.tokens.get(token);
    if (person === undefined) return fail("invalid_auth");
    return { ok: true, ...claims(person) };
  }

  /** `GET /openid/connect/keys`: the public key to check an `id_token` with. */
  keys(): OpenIdAnswer {
    const jwk = this.key.publicKey.export({ format: "jwk" });
    return { keys: [{ ...jwk, kid: this.key.kid, alg: "RS256", use: "sig" }] };
  }

  private idToken(grant: Grant): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: "JWT", alg: "RS256", kid: this.key.kid };
    const payload = {
      iss: "https://slack.com",
      aud: this.clientId,
      iat: now,
      exp: now + ID_TOKEN_LIFE_S,
      auth_time: now,
      ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      ...claims(grant.person),
    };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
    const signed = `${encode(header)}.${encode(payload)}`;
    const signature = createSign("RSA-SHA256").update(signed).sign(this.key.privateKey, "base64url");
    return `${signed}.${signature}`;
  }
}

function claims(person: SlackPerson): Record<string, unknown> {
  return {
    sub: person.user,
    "https://slack.com/user_id": person.user,
    "https://slack.com/team_id": person.team,
    name: person.name,
    given_name: person.name,
    locale: "en-US",
    "https://slack.com/team_name": "Fake Team",
    "https://slack.com/team_domain": "fake-team",
  };
}

function clientOf(
  args: Record<string, unknown>,
  authorization: string | undefined,
): { id: string; secret: string } {
  const basic = /^Basic (.+)$/.exec(authorization ?? "")?.[1];
  if (basic !== undefined) {
    const [id = "", ...secret] = Buffer.from(basic, "base64").toString("utf8").split(":");
    return { id, secret: secret.join(":") };
  }
  return { id: String(args.client_id ?? ""), secret: String(args.client_secret ?? "") };
}

/** The two Web API methods of Sign in with Slack, which take no bot token; undefined for any other method. */
export function openIdMethod(
  openid: FakeOpenId,
  name: string,
  args: Record<string, unknown>,
  authorization: string | undefined,
): OpenIdAnswer | undefined {
  if (name === "openid.connect.token") return openid.exchange(args, authorization);
  if (name !== "openid.connect.userInfo") return undefined;
  const bearer = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
  return openid.userInfo(bearer ?? (typeof args.token === "string" ? args.token : undefined));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function sendHtml(res: ServerResponse, status: number, body: string): void {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Slack</title></head><body>${body}</body></html>`;
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(page),
  });
  res.end(page);
}

/**
 * `GET /openid/connect/authorize` (Slack's consent page, or its error page) and the page's `POST` back: Allow
 * redirects to `redirect_uri?code=…&state=…`, Cancel with `error=access_denied`. Returns whether it answered.
 */
export function answerOpenIdPage(
  openid: FakeOpenId,
  request: { method: string; path: string; query: Record<string, string>; form: Record<string, string> },
  res: ServerResponse,
): boolean {
  if (request.path !== "/openid/connect/authorize") return false;
  const params = request.method === "POST" ? request.form : request.query;
  const grant = openid.checkAuthorize(params);
  if ("error" in grant) {
    sendHtml(res, 400, `<h1>Something's not quite right</h1><p id="error">${escapeHtml(grant.error)}</p>`);
    return true;
  }
  if (request.method !== "POST") {
    const hidden = ["client_id", "response_type", "scope", "redirect_uri", "state", "nonce", "team"]
      .filter((name) => params[name] !== undefined)
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params[name] ?? "")}">`)
      .join("");
    sendHtml(
      res,
      200,
      `<h1>imagine is requesting permission to access the Fake Team Slack workspace</h1>
<p>Signed in as <strong id="person">${escapeHtml(grant.person.name)}</strong></p>
<form method="post" action="/openid/connect/authorize">${hidden}<input type="hidden" name="as" value="${escapeHtml(grant.person.user)}">
<button name="allow" value="true" type="submit">Allow</button><button name="allow" value="false" type="submit">Cancel</button></form>`,
    );
    return true;
  }
  const to = new URL(grant.redirectUri);
  if (params.allow === "true") to.searchParams.set("code", openid.issueCode(grant));
  else to.searchParams.set("error", "access_denied");
  to.searchParams.set("state", params.state ?? "");
  res.writeHead(302, { location: to.toString() });
  res.end();
  return true;
}
