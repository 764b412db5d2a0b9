import { mkdir } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webPlatform } from "../../src/platforms/web/index.js";
import { defaultPageDir } from "../../src/platforms/web/pages.js";
import { SESSION_COOKIE, studioSessions } from "../../src/platforms/web/session.js";
import { type DiscordBot, startDiscordBot } from "../discord/harness.js";
import { customIds, jobIdOf, showsResult } from "../helpers/discord-result.js";
import { waitFor } from "../helpers/wait-for.js";
import { PROCESS_TEST_TIMEOUT_MS } from "./scripts.js";
import { CHROMIUM, HAS_CHROMIUM, SCREENSHOTS } from "./studio-page-world.js";

/**
 * "Edit region" from a Discord result, end to end: the bot (the real discord.js client on the fake Discord) and
 * the studio in one process, Chromium on the built page answering the link, the answer in the fake Discord thread.
 */

if (!HAS_CHROMIUM)
  process.stderr.write("studio Edit region test skipped: no Chromium at /usr/bin/chromium\n");

const SESSION_SECRET = "test-studio-edit-region-session";

let bot: DiscordBot;
let browser: Browser;
let page: Page;
let base: string;

/** The session cookie of the Discord person, as signing in with Discord makes it. */
function sessionCookie(id: string, name: string): string {
  let value = "";
  const res = {
    appendHeader: (_: string, cookie: string) => (value = /^[^=]+=([^;]*)/.exec(cookie)?.[1] ?? ""),
  };
  studioSessions({ secret: SESSION_SECRET, hours: 1, secure: false }).signIn(
    res as unknown as ServerResponse,
    { platform: "discord", id, name, admin: false },
  );
  return value;
}

/** At the top: the page's policy refuses an injected style, and a sticky bar is drawn where the page is scrolled. */
async function shot(name: string): Promise<void> {
  await page.evaluate(() =>
    (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
  );
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  bot = await startDiscordBot("studio-edit-region", {
    env: { WEB_ENABLED: "true", WEB_SESSION_SECRET: SESSION_SECRET, PUBLIC_BASE_URL: "http://127.0.0.1" },
    alongside: (config) =>
      config.web ? [webPlatform(config.web, { pageDir: defaultPageDir(), printLink: () => {} })] : [],
  });
  base = `http://127.0.0.1:${bot.running.http?.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { user } = bot.discord;
  await context.addCookies([
    { name: SESSION_COOKIE, value: sessionCookie(user.id, user.username), url: `${base}/studio/` },
  ]);
  page = await context.newPage();
  await mkdir(SCREENSHOTS, { recursive: true });
}, PROCESS_TEST_TIMEOUT_MS);
afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

describe.skipIf(!HAS_CHROMIUM)("Edit region from a Discord result, in Chromium", () => {
  it("opens the studio on the image, paints a region, and the edit arrives in the Discord thread on the result", async () => {
    const result = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "a lighthouse at dusk", quality: "low", partials: 0 }),
    );
    const runId = jobIdOf(result);
    const click = await bot.discord.click(result, `edit-region:${runId}`);
    await waitFor("the private link", () => click.callbackType);
    const rows = (click.callbackData?.components ?? []) as { components: { url?: string }[] }[];
    const url = new URL(rows[0]?.components[0]?.url ?? "");
    // PUBLIC_BASE_URL names no port here: the browser reaches the test's endpoint with the link's path.
    await page.goto(`${base}${url.pathname}${url.search}`);
    await page.waitForSelector("canvas.strokes");
    await expect.poll(() => page.locator("body").textContent()).toContain("a Discord thread on your image");
    await shot("20-edit-region-opened");

    const box = await page.locator("canvas.strokes").boundingBox();
    if (!box) throw new Error("no canvas to paint on");
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.3, { steps: 8 });
    await page.mouse.up();
    await page.fill("#prompt", "a red boat where I painted");
    await shot("21-edit-region-painted");
    const posted = page.waitForResponse((res) => res.url().endsWith("/studio/api/runs"));
    await page.click("#generate");
    const answer = (await (await posted).json()) as { runId?: string; postedTo?: string; error?: string };
    expect(answer.error).toBeUndefined();
    expect(answer.postedTo).toBe("the Discord thread on your image");

    const turn = await waitFor(
      "the edit in the Discord thread",
      () =>
        [...bot.discord.world.messages.values()].find(
          (message) => message.channel_id === result.id && showsResult(message),
        ),
      30_000,
    );
    expect(customIds(turn.components)).toContain(`reroll:${answer.runId}`);
    const edit = bot.openai.requests.find((request) => request.path === "/v1/images/edits");
    expect(edit?.form?.fields.prompt).toBe("a red boat where I painted");
    const mask = edit?.form?.files.find((file) => file.field === "mask");
    if (mask === undefined) throw new Error("the fake OpenAI got no mask");
    const { data, info } = await sharp(mask.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const alpha = (x: number, y: number) =>
      data[(Math.round(y * info.height) * info.width + Math.round(x * info.width)) * info.channels + 3];
    expect(alpha(0.25, 0.3)).toBe(0);
    expect(alpha(0.8, 0.8)).toBe(255);
    await shot("22-edit-region-sent");
  });
});
