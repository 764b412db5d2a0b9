import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "./fake.js";

let fake: FakeDiscord;
let dir: string;
const redirectUri = "http://127.0.0.1:9/studio/auth/discord/callback";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fake-discord-oauth-"));
  // Discord's per-route limits are real here: more than this file's requests per second would be 429s.
  fake = await startFakeDiscord({ recordFile: join(dir, "requests.jsonl"), rateLimit: { limit: 100 } });
  fake.world.oauth.redirectUris.add(redirectUri);
});

afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function authorizeUrl(params: Record<string, string> = {}): string {
  const url = new URL("/oauth2/authorize", fake.origin);
  const all = {
    client_id: fake.applicationId,
    response_type: "code",
    redirect_uri: redirectUri,
    scope: "identify guilds",
    state: "s-1",
    ...params,
  };
  for (const [name, value] of Object.entries(all)) url.searchParams.set(name, value);
  return url.toString();
}

/** What the consent page's form posts when the person presses Authorize (or Cancel). */
async function consent(params: Record<string, string> = {}, authorize = true): Promise<URL> {
  const page = await fetch(authorizeUrl(params));
  expect(page.status).toBe(200);
  const html = await page.text();
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
    fields.set(
      name ?? "",
      (value ?? "").replaceAll("&#43;", "+").replaceAll("&#47;", "/").replaceAll("&#58;", ":"),
    );
  }
  fields.set("authorize", String(authorize));
  const answer = await fetch(new URL("/oauth2/authorize", fake.origin), {
    method: "POST",
    body: fields,
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location") ?? "");
}

async function exchange(fields: Record<string, string>, basic?: string) {
  const answer = await fetch(`${fake.url}/v10/oauth2/token`, {
    method: "POST",
    headers: basic ? { authorization: `Basic ${Buffer.from(basic).toString("base64")}` } : {},
    body: new URLSearchParams({ grant_type: "authorization_code", redirect_uri: redirectUri, ...fields }),
  });
  return { status: answer.status, body: (await answer.json()) as Record<string, string> };
}

const secret = () => fake.world.oauth.clientSecret;

describe("the fake Discord's OAuth2", () => {
  it("shows the consent page for the person signed in, and Authorize redirects with a code and the state", async () => {
    const page = await (await fetch(authorizeUrl())).text();
    expect(page).toContain(`<strong id="person">${fake.user.global_name}</strong>`);
    expect(page).toContain("<li>guilds</li>");
    const back = await consent();
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get("state")).toBe("s-1");
    expect(back.searchParams.get("code")).toMatch(/^[\w-]{20}$/);
  });

  it("Cancel redirects with access_denied and the state", async () => {
    const back = await consent({ state: "s-2" }, false);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe("s-2");
    expect(back.searchParams.has("code")).toBe(false);
  });

  it.each([
    [{ client_id: "123456789012345678" }, "Unknown Application"],
    [{ response_type: "token" }, "Invalid OAuth2 response_type"],
    [{ redirect_uri: "http://127.0.0.1:9/elsewhere" }, "Invalid OAuth2 redirect_uri"],
    [{ scope: "identify bot" }, "Invalid scope"],
    [{ state: "" }, "Missing state"],
  ])("refuses an authorize with %j on its error page", async (params, error) => {
    const answer = await fetch(authorizeUrl(params));
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain(error);
  });

  it("trades a code once for a token that reads the person and their guilds", async () => {
    const code = (await consent()).searchParams.get("code") ?? "";
    const token = await exchange({ code, client_id: fake.applicationId, client_secret: secret() });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: "Bearer", expires_in: 604_800, scope: "identify guilds" });
    const authorization = `Bearer ${token.body.access_token}`;
    const me = await fetch(`${fake.url}/v10/users/@me`, { headers: { authorization } });
    expect(await me.json()).toMatchObject({ id: fake.user.id, username: fake.user.username });
    const guilds = await fetch(`${fake.url}/v10/users/@me/guilds`, { headers: { authorization } });
    expect(await guilds.json()).toEqual([expect.objectContaining({ id: fake.guildId, owner: false })]);
    const again = await exchange({ code, client_id: fake.applicationId, client_secret: secret() });
    expect(again).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: 'Invalid "code" in request.' },
    });
  });

  it("takes the client by Basic auth, and refuses a wrong secret, an unknown code and another redirect_uri", async () => {
    const code = (await consent()).searchParams.get("code") ?? "";
    expect(await exchange({ code }, `${fake.applicationId}:wrong`)).toEqual({
      status: 401,
      body: { error: "invalid_client" },
    });
    expect(await exchange({ code })).toEqual({ status: 401, body: { error: "invalid_client" } });
    expect((await exchange({ code: "nope" }, `${fake.applicationId}:${secret()}`)).body.error).toBe(
      "invalid_grant",
    );
    const moved = await exchange(
      { code, redirect_uri: `${redirectUri}x` },
      `${fake.applicationId}:${secret()}`,
    );
    expect(moved).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: 'Invalid "redirect_uri" in request.' },
    });
    // The failed try burnt the code, as Discord does.
    expect((await exchange({ code }, `${fake.applicationId}:${secret()}`)).body.error).toBe("invalid_grant");
  });

  it("signs in as whoever the test chooses; the outsider shares no guild, and `identify` alone reads no guilds", async () => {
    const code = (await consent({ as: fake.world.oauth.outsider.id })).searchParams.get("code") ?? "";
    const token = await exchange({ code }, `${fake.applicationId}:${secret()}`);
    const authorization = `Bearer ${token.body.access_token}`;
    const me = (await (await fetch(`${fake.url}/v10/users/@me`, { headers: { authorization } })).json()) as {
      id: string;
    };
    expect(me.id).toBe(fake.world.oauth.outsider.id);
    const guilds = (await (
      await fetch(`${fake.url}/v10/users/@me/guilds`, { headers: { authorization } })
    ).json()) as { id: string }[];
    expect(guilds.map((each) => each.id)).not.toContain(fake.guildId);

    fake.world.oauth.signedIn = fake.otherUser;
    const narrow = (await consent({ scope: "identify" })).searchParams.get("code") ?? "";
    const identify = await exchange({ code: narrow }, `${fake.applicationId}:${secret()}`);
    const bob = `Bearer ${identify.body.access_token}`;
    expect(
      (
        (await (await fetch(`${fake.url}/v10/users/@me`, { headers: { authorization: bob } })).json()) as {
          id: string;
        }
      ).id,
    ).toBe(fake.otherUser.id);
    expect(
      (await fetch(`${fake.url}/v10/users/@me/guilds`, { headers: { authorization: bob } })).status,
    ).toBe(403);
    expect(
      (await fetch(`${fake.url}/v10/users/@me`, { headers: { authorization: "Bearer forged" } })).status,
    ).toBe(401);
    fake.world.oauth.signedIn = fake.user;
  });

  it("answers a JSON token request as Discord does, as having no grant_type, and never records the secret", async () => {
    const answer = await fetch(`${fake.url}/v10/oauth2/token`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${fake.applicationId}:${secret()}`).toString("base64")}`,
      },
      body: JSON.stringify({ grant_type: "authorization_code", code: "x" }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: "unsupported_grant_type" });
    const recorded = await readFile(join(dir, "requests.jsonl"), "utf8");
    expect(recorded).toContain('"client_secret":"[redacted]"');
    expect(recorded).not.toContain(secret());
  });
});
