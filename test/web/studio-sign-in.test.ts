import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentAt } from "../fakes/consent.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";
import { FAKE_TEAM, type FakeSlack, startFakeSlack } from "../fakes/slack/server.js";
import { type StudioHarness, startStudio } from "./harness.js";
import { StudioClient } from "./studio-client.js";

/**
 * Signing in to the studio with Discord or Slack over real HTTP: the studio's redirect, the fake's consent page,
 * the callback, and the session it leaves (or, for each bad callback, one sentence and no session).
 */
let discord: FakeDiscord;
let slack: FakeSlack;
let studio: StudioHarness;

beforeAll(async () => {
  discord = await startFakeDiscord({ rateLimit: { limit: 100 } });
  slack = await startFakeSlack();
  studio = await startStudio("web-sign-in", {
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.url,
    WEB_DISCORD_CLIENT_SECRET: discord.world.oauth.clientSecret,
    SLACK_BOT_TOKEN: "xoxb-fake",
    SLACK_API_URL: slack.apiUrl,
    WEB_SLACK_CLIENT_ID: slack.openid.clientId,
    WEB_SLACK_CLIENT_SECRET: slack.openid.clientSecret,
    SLACK_ADMIN_USER_IDS: "U0FAKEUSER1",
  });
  discord.world.oauth.redirectUris.add(`${studio.base}/studio/auth/discord/callback`);
  slack.openid.redirectUris.add(`${studio.base}/studio/auth/slack/callback`);
});

afterAll(async () => {
  await studio?.close();
  await discord?.close();
  await slack?.close();
});

/** A browser that pressed "Sign in with …": where the studio sent it (the provider's authorize page). */
async function leaveFor(client: StudioClient, provider: "discord" | "slack", next?: string): Promise<string> {
  const res = await client.fetch(
    `/studio/auth/${provider}${next ? `?next=${encodeURIComponent(next)}` : ""}`,
  );
  expect(res.status).toBe(303);
  return res.headers.get("location") ?? "";
}

/** Back from the provider: the callback's path and query as the browser opens it. */
const back = (client: StudioClient, url: URL) => client.fetch(`${url.pathname}${url.search}`);

const pageSentence = async (res: Response) => /<p role="alert">([^<]*)<\/p>/.exec(await res.text())?.[1];

describe("sign-in with Discord and Slack", () => {
  it("offers both providers and prints no one-time link", async () => {
    const page = await new StudioClient(studio.base).fetch("/studio/sign-in");
    const html = await page.text();
    expect(html).toContain('href="/studio/auth/discord">Sign in with Discord');
    expect(html).toContain('href="/studio/auth/slack">Sign in with Slack');
    expect(html).not.toContain("one-time");
    expect(studio.links).toEqual([]);
    // Styled by a sheet of the studio's own, as the CSP allows no inline style; served to the signed out.
    const sheet = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1];
    const css = await new StudioClient(studio.base).fetch(sheet ?? "");
    expect([css.status, css.headers.get("content-type")]).toEqual([200, "text/css; charset=utf-8"]);
    expect(await css.text()).toContain("prefers-color-scheme: dark");
  });

  it("signs in with Discord as the person the bot knows, and goes back to the studio", async () => {
    const client = new StudioClient(studio.base);
    const authorize = await leaveFor(client, "discord");
    expect(authorize.startsWith(`${discord.origin}/oauth2/authorize?`)).toBe(true);
    expect(authorize).not.toContain(discord.world.oauth.clientSecret);
    const done = await back(client, await consentAt(authorize));
    expect([done.status, done.headers.get("location")]).toEqual([303, "/studio/"]);
    const me = await client.me();
    expect(me.user).toEqual({ platform: "discord", id: discord.user.id, name: "alice", admin: false });
  });

  it("signs in with Slack as the member of their team, an admin when listed, and back to a pending studio link", async () => {
    const client = new StudioClient(studio.base);
    // Signed out, an "Edit region" link sends the browser to the sign-in page with where to come back to.
    const signInPage = await (
      await client.fetch(`/studio/sign-in?next=${encodeURIComponent("/studio/edit-region?link=abc")}`)
    ).text();
    const button =
      /href="(\/studio\/auth\/slack[^"]*)"/.exec(signInPage)?.[1]?.replaceAll("&amp;", "&") ?? "";
    expect(button).toBe(`/studio/auth/slack?next=${encodeURIComponent("/studio/edit-region?link=abc")}`);
    const left = await client.fetch(button);
    const authorize = left.headers.get("location") ?? "";
    expect(authorize.startsWith(`${slack.origin}/openid/connect/authorize?`)).toBe(true);
    const done = await back(client, await consentAt(authorize));
    expect(done.headers.get("location")).toBe("/studio/edit-region?link=abc");
    expect((await client.me()).user).toEqual({
      platform: "slack",
      id: "U0FAKEUSER1",
      workspace: FAKE_TEAM,
      name: "person",
      admin: true,
    });
  });

  it("never sends the person to another site after signing in", async () => {
    const client = new StudioClient(studio.base);
    const done = await back(
      client,
      await consentAt(await leaveFor(client, "discord", "//evil.example/studio/")),
    );
    expect(done.headers.get("location")).toBe("/studio/");
  });

  it("a tampered state: one sentence, no session", async () => {
    const client = new StudioClient(studio.base);
    const returned = await consentAt(await leaveFor(client, "discord"));
    returned.searchParams.set("state", "forged");
    const res = await back(client, returned);
    expect(res.status).toBe(403);
    expect(await pageSentence(res)).toBe(
      "That sign-in did not start in this browser or took too long; sign in again.",
    );
    expect((await client.fetch("/studio/api/me")).status).toBe(401);
  });

  it("a callback opened in another browser (no state cookie): one sentence, no session", async () => {
    const returned = await consentAt(await leaveFor(new StudioClient(studio.base), "slack"));
    const elsewhere = new StudioClient(studio.base);
    const res = await back(elsewhere, returned);
    expect(await pageSentence(res)).toBe(
      "That sign-in did not start in this browser or took too long; sign in again.",
    );
    expect((await elsewhere.fetch("/studio/api/me")).status).toBe(401);
  });

  it("a reused code: one sentence, no session", async () => {
    const first = new StudioClient(studio.base);
    const returned = await consentAt(await leaveFor(first, "discord"));
    await back(first, returned);
    // Someone else replays the same callback with a state of their own browser's.
    const second = new StudioClient(studio.base);
    const own = new URL(await leaveFor(second, "discord")).searchParams.get("state") ?? "";
    returned.searchParams.set("state", own);
    const res = await back(second, returned);
    expect(res.status).toBe(403);
    expect(await pageSentence(res)).toBe(
      "Discord did not confirm who you are, so you are not signed in; sign in again, and tell the operator if it keeps happening.",
    );
    expect((await second.fetch("/studio/api/me")).status).toBe(401);
  });

  it("Cancel on the consent page: one sentence, no session", async () => {
    const client = new StudioClient(studio.base);
    const res = await back(client, await consentAt(await leaveFor(client, "slack"), "cancel"));
    expect(await pageSentence(res)).toBe(
      "You did not allow the studio to read your Slack account, so you are not signed in.",
    );
    expect((await client.fetch("/studio/api/me")).status).toBe(401);
  });
});

describe("sign-in with a wrong client secret", () => {
  let wrong: StudioHarness;
  beforeAll(async () => {
    wrong = await startStudio("web-sign-in-secret", {
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.url,
      WEB_DISCORD_CLIENT_SECRET: "not-the-secret",
    });
    discord.world.oauth.redirectUris.add(`${wrong.base}/studio/auth/discord/callback`);
  });
  afterAll(() => wrong?.close());

  it("ends with one sentence and no session, the secret nowhere on the page", async () => {
    const client = new StudioClient(wrong.base);
    const res = await back(client, await consentAt(await leaveFor(client, "discord")));
    const html = await res.text();
    expect(res.status).toBe(403);
    expect(html).toContain("Discord did not confirm who you are");
    expect(html).not.toContain("not-the-secret");
    expect((await client.fetch("/studio/api/me")).status).toBe(401);
  });
});
