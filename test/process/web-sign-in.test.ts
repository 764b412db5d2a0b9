import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudioMe } from "../../src/platforms/web/studio-api.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { FAKE_TEAM, type FakeSlack, startFakeSlack } from "../fakes/slack/server.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { freePort } from "../slack/harness.js";
import { startStudio } from "../web/harness.js";
import { PROCESS_TEST_TIMEOUT_MS, REPO_ROOT, startScript, stopCleanly } from "./scripts.js";

/** Debian's Chromium (`.ci/run` installs it when missing): playwright-core drives it, nothing downloads one. */
const CHROMIUM = "/usr/bin/chromium";
/** Each step's screenshot, for a person to look at (runs/ is not committed). */
const SHOTS = join(REPO_ROOT, "runs", "screenshots", "studio");

let openai: FakeOpenAI;
let discord: FakeDiscord;
let slack: FakeSlack;
let browser: Browser;
let storageDir: string;
const prefixes: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does).`);
  openai = await startFakeOpenAI();
  discord = await startFakeDiscord();
  slack = await startFakeSlack();
  storageDir = await mkdtemp(join(tmpdir(), "imagine-web-sign-in-"));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await openai?.close();
  await discord?.close();
  await slack?.close();
  for (const prefix of prefixes) await dropPrefix(prefix);
  await rm(storageDir, { recursive: true, force: true });
});

/** Who the studio says is signed in, asked from the page's own origin with its cookie. */
async function signedInAs(page: Page): Promise<StudioMe["user"]> {
  const answer = await page.request.get(new URL("/studio/api/me", page.url()).toString());
  expect(answer.status(), await answer.text()).toBe(200);
  return ((await answer.json()) as StudioMe).user;
}

describe("signing in to the studio in Chromium", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("npm run web → Sign in with Discord → the fake Discord's consent page → Authorize → the studio, as that person", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    discord.world.oauth.redirectUris.add(`${base}/studio/auth/discord/callback`);
    // Bob is signed in to (the fake) Discord in this browser: the studio must know him as Bob.
    discord.world.oauth.signedIn = discord.otherUser;
    const prefix = uniquePrefix("process-web-sign-in");
    prefixes.push(prefix);
    const web = startScript("web", {
      ...baseTestEnv(openai.url, prefix, storageDir),
      HTTP_PORT: String(port),
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.url,
      WEB_DISCORD_CLIENT_SECRET: discord.world.oauth.clientSecret,
    });
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    try {
      await web.waitForLog((line) => line.msg === "imagine-bot running", "start-up");
      await page.goto(`${base}/studio/`);
      expect(new URL(page.url()).pathname).toBe("/studio/sign-in");
      await page.screenshot({ path: join(SHOTS, "sign-in-1-page.png") });
      await page.getByRole("link", { name: "Sign in with Discord" }).click();
      await page.waitForURL(`${discord.origin}/oauth2/authorize?**`);
      expect(await page.locator("#person").textContent()).toBe("bob");
      await page.screenshot({ path: join(SHOTS, "sign-in-2-discord-consent.png") });
      await page.getByRole("button", { name: "Authorize" }).click();
      await page.waitForURL(`${base}/studio/`);
      await page.screenshot({ path: join(SHOTS, "sign-in-3-studio.png") });
      expect(await signedInAs(page)).toEqual({
        platform: "discord",
        id: discord.otherUser.id,
        name: "bob",
        admin: false,
      });
      // Each cookie as the browser keeps it, asked for the paths it is scoped to.
      const cookies = await page
        .context()
        .cookies([`${base}/studio/`, `${base}/studio/auth/discord/callback`]);
      const session = cookies.find((cookie) => cookie.name === "imagine_studio");
      expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/studio" });
      // The sign-in's state was for one use: gone once back.
      expect(cookies.some((cookie) => cookie.name === "imagine_studio_sign_in")).toBe(false);
      // With a provider, no one-time operator link is printed, and the client secret is in no log line.
      expect(web.output()).not.toContain("/studio/auth/once?token=");
      expect(web.output()).not.toContain(discord.world.oauth.clientSecret);

      // A callback whose state this browser never got: one sentence on the sign-in page, and no session.
      const fresh = await browser.newPage();
      await fresh.goto(`${base}/studio/auth/discord/callback?code=whatever&state=forged`);
      expect(await fresh.getByRole("alert").textContent()).toBe(
        "That sign-in did not start in this browser or took too long; sign in again.",
      );
      await fresh.screenshot({ path: join(SHOTS, "sign-in-4-tampered-state.png") });
      expect((await fresh.request.get(`${base}/studio/api/me`)).status()).toBe(401);
      await fresh.close();
    } finally {
      discord.world.oauth.signedIn = discord.user;
      await page.close();
      await stopCleanly(web);
    }
  });

  it("the studio → Sign in with Slack → the fake Slack's consent page → Allow → the studio, as that member", async () => {
    const studio = await startStudio("web-sign-in-slack", {
      SLACK_BOT_TOKEN: "xoxb-fake",
      SLACK_API_URL: slack.apiUrl,
      WEB_SLACK_CLIENT_ID: slack.openid.clientId,
      WEB_SLACK_CLIENT_SECRET: slack.openid.clientSecret,
    });
    slack.openid.redirectUris.add(`${studio.base}/studio/auth/slack/callback`);
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    try {
      await page.goto(`${studio.base}/studio/sign-in`);
      await page.getByRole("link", { name: "Sign in with Slack" }).click();
      await page.waitForURL(`${slack.origin}/openid/connect/authorize?**`);
      await page.screenshot({ path: join(SHOTS, "sign-in-5-slack-consent.png") });
      await page.getByRole("button", { name: "Allow" }).click();
      await page.waitForURL(`${studio.base}/studio/`);
      expect(await signedInAs(page)).toEqual({
        platform: "slack",
        id: "U0FAKEUSER1",
        workspace: FAKE_TEAM,
        name: "person",
        admin: false,
      });
    } finally {
      await page.close();
      await studio.close();
    }
  });
});
