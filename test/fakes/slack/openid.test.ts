import { createPublicKey, createVerify, type JsonWebKey } from "node:crypto";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_TEAM, type FakeSlack, startFakeSlack } from "./server.js";

let fake: FakeSlack;
const redirectUri = "http://127.0.0.1:9/studio/auth/slack/callback";

beforeAll(async () => {
  fake = await startFakeSlack();
  fake.openid.redirectUris.add(redirectUri);
});

afterAll(() => fake.close());

function authorizeUrl(params: Record<string, string> = {}): string {
  const url = new URL("/openid/connect/authorize", fake.origin);
  const all = {
    response_type: "code",
    scope: "openid profile",
    client_id: fake.openid.clientId,
    redirect_uri: redirectUri,
    state: "s-1",
    nonce: "n-1",
    ...params,
  };
  for (const [name, value] of Object.entries(all)) url.searchParams.set(name, value);
  return url.toString();
}

async function allow(params: Record<string, string> = {}, allowed = true): Promise<URL> {
  const page = await fetch(authorizeUrl(params));
  expect(page.status).toBe(200);
  const fields = new URLSearchParams();
  for (const [, name, value] of (await page.text()).matchAll(
    /<input type="hidden" name="(\w+)" value="([^"]*)">/g,
  )) {
    fields.set(
      name ?? "",
      (value ?? "").replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
    );
  }
  fields.set("allow", String(allowed));
  const answer = await fetch(new URL("/openid/connect/authorize", fake.origin), {
    method: "POST",
    body: fields,
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location") ?? "");
}

const client = () => new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
const exchange = (code: string, overrides: Record<string, string> = {}) =>
  client().openid.connect.token({
    client_id: fake.openid.clientId,
    client_secret: fake.openid.clientSecret,
    code,
    redirect_uri: redirectUri,
    ...overrides,
  });
const refusal = (call: Promise<unknown>) =>
  call.then(
    () => "accepted",
    (error: { data?: { error?: string } }) => error.data?.error,
  );

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

describe("the fake Slack's Sign in with Slack", () => {
  it("redirects Allow with a code, traded once for a user token and an id_token signed with the published key", async () => {
    const back = await allow();
    expect(back.searchParams.get("state")).toBe("s-1");
    const code = back.searchParams.get("code") ?? "";
    const token = await exchange(code);
    expect(token).toMatchObject({ ok: true, token_type: "Bearer" });
    expect(token.access_token).toMatch(/^xoxp-/);
    const idToken = token.id_token ?? "";
    const [header, payload, signature] = idToken.split(".");
    const { keys } = (await (await fetch(`${fake.origin}/openid/connect/keys`)).json()) as {
      keys: JsonWebKey[];
    };
    const key = createPublicKey({ key: keys[0] ?? {}, format: "jwk" });
    expect(
      createVerify("RSA-SHA256")
        .update(`${header}.${payload}`)
        .verify(key, signature ?? "", "base64url"),
    ).toBe(true);
    expect(payloadOf(idToken)).toMatchObject({ nonce: "n-1", aud: fake.openid.clientId, sub: "U0FAKEUSER1" });

    const info = await new WebClient(token.access_token, {
      slackApiUrl: fake.apiUrl,
    }).openid.connect.userInfo();
    expect(info).toMatchObject({
      ok: true,
      sub: "U0FAKEUSER1",
      "https://slack.com/user_id": "U0FAKEUSER1",
      "https://slack.com/team_id": FAKE_TEAM,
      name: "person",
    });
    expect(await refusal(exchange(code))).toBe("invalid_code");
  });

  it("refuses a wrong secret, another client id, another redirect URI and a forged user token", async () => {
    const code = (await allow()).searchParams.get("code") ?? "";
    expect(await refusal(exchange(code, { client_secret: "wrong" }))).toBe("bad_client_secret");
    expect(await refusal(exchange(code, { client_id: "9.9" }))).toBe("invalid_client_id");
    expect(await refusal(exchange(code, { redirect_uri: `${redirectUri}x` }))).toBe("bad_redirect_uri");
    expect(await refusal(exchange(code))).toBe("invalid_code");
    expect(
      await refusal(new WebClient("xoxp-forged", { slackApiUrl: fake.apiUrl }).openid.connect.userInfo()),
    ).toBe("invalid_auth");
  });

  it("Cancel redirects with access_denied; bad authorize parameters get Slack's error page", async () => {
    const back = await allow({ state: "s-2" }, false);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe("s-2");
    for (const [params, error] of [
      [{ client_id: "9.9" }, "invalid_client_id"],
      [{ scope: "identify" }, "invalid_scope"],
      [{ redirect_uri: "http://127.0.0.1:9/elsewhere" }, "bad_redirect_uri"],
      [{ team: "T0OTHER001" }, "team_mismatch"],
    ] as const) {
      const answer = await fetch(authorizeUrl(params));
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain(error);
    }
  });

  it("signs in whoever the test chooses", async () => {
    fake.openid.signedIn = { user: "U0OTHER0001", team: "T0OTHER001", name: "eve" };
    const code = (await allow({ team: "T0OTHER001" })).searchParams.get("code") ?? "";
    const token = await exchange(code);
    expect(payloadOf(token.id_token ?? "")).toMatchObject({
      "https://slack.com/team_id": "T0OTHER001",
      name: "eve",
    });
    fake.openid.signedIn = { user: "U0FAKEUSER1", team: FAKE_TEAM, name: "person" };
  });
});
