import { join } from "node:path";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EDIT_REGION_LINK_MS,
  type EditRegionAsk,
  signEditRegionLink,
} from "../../src/links/edit-region-link.js";
import { SESSION_COOKIE } from "../../src/platforms/web/session.js";
import type { StudioMe, StudioUser } from "../../src/platforms/web/studio-api.js";
import { testRedis } from "../helpers/redis.js";
import { freePort } from "../slack/harness.js";
import { cookieFor } from "../web/studio-client.js";
import { PROCESS_TEST_TIMEOUT_MS } from "./scripts.js";
import {
  eventually,
  HAS_CHROMIUM,
  SCREENSHOTS,
  type StudioPageWorld,
  startStudioPage,
} from "./studio-page-world.js";

/**
 * The studio's bad inputs that the server refuses, met by a person in Chromium against `npm run web`: each one
 * sentence on the page (or in the answer to the browser's own request), nothing sent to OpenAI, no budget touched.
 */

if (!HAS_CHROMIUM)
  process.stderr.write("studio refusal browser tests skipped: no Chromium at /usr/bin/chromium\n");

/** Set for the process so the test signs links with the key the studio checks them with. */
const LINK_SECRET = "test-studio-refusals-browser-links";
const CSRF_SENTENCE =
  "That form came without the studio's security token (an old tab, or a page of another site): reload the studio and send it again.";
const OPERATOR: StudioUser = { platform: "web", id: "operator", name: "Operator", admin: true };
/** A Discord result's link: made for Discord person 77, not for the operator signed in here. */
const ASK: EditRegionAsk = {
  runId: "20261207-095900-ab12cd34",
  image: 0,
  user: { platform: "discord", id: "100000000000000077" },
  place: { platform: "discord", channel: "223344556677889900", message: "334455667788990011" },
};

let world: StudioPageWorld;
let base: string;
const redis = testRedis();

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  // Links (the one-time sign-in's too) name PUBLIC_BASE_URL: the process listens where they point.
  const port = await freePort();
  world = await startStudioPage("studio-refusals-browser", undefined, {
    LINK_SIGNING_SECRET: LINK_SECRET,
    HTTP_PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    // A budget, so that a reservation would show in the ledger.
    BUDGET_USER_DAY_USD: "5",
  });
  base = new URL(world.page.url()).origin;
}, PROCESS_TEST_TIMEOUT_MS);
afterAll(async () => {
  await world?.close();
  redis.disconnect();
});

/** Every budget key of the process with its value (dumped: a key of any type): a reservation or a charge shows. */
async function ledger(): Promise<Record<string, string | undefined>> {
  const keys = (await redis.keys(`${world.prefix}:budget:*`)).sort();
  const values = await Promise.all(keys.map((key) => redis.dumpBuffer(key)));
  return Object.fromEntries(keys.map((key, at) => [key, values[at]?.toString("base64")]));
}

/** Runs `meet`, then checks the fake OpenAI heard nothing and the budget ledger is as it was. */
async function costsNothing(meet: () => Promise<void>): Promise<void> {
  const before = { requests: world.imageRequests().length, ledger: await ledger() };
  await meet();
  expect(world.imageRequests().length).toBe(before.requests);
  expect(await ledger()).toEqual(before.ledger);
}

/** Opens an Edit region link as a click in chat does, and expects its refusal page's one sentence. */
async function openLinkRefused(page: Page, token: string, sentence: string, shot: string): Promise<void> {
  const answer = await page.goto(`${base}/studio/edit-region?link=${encodeURIComponent(token)}`);
  expect(answer?.status()).toBe(403);
  expect(await page.getByRole("alert").textContent()).toBe(sentence);
  expect(await page.locator("#generate").count()).toBe(0);
  await world.shot(shot);
}

/** One character of `text` at `at` changed to another base64url character. */
const changed = (text: string, at: number) =>
  `${text.slice(0, at)}${text[at] === "A" ? "B" : "A"}${text.slice(at + 1)}`;

const png = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 4, background } })
    .png()
    .toBuffer();

describe.skipIf(!HAS_CHROMIUM)(
  "the studio's server-side refusals, in Chromium",
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    it("an expired Edit region link: one sentence, nothing spent", async () => {
      const token = signEditRegionLink(LINK_SECRET, ASK, Date.now() - EDIT_REGION_LINK_MS - 60_000);
      await costsNothing(() =>
        openLinkRefused(
          world.page,
          token,
          "This Edit region link has expired (links last 15 minutes); press Edit region under the image again.",
          "30-refused-link-expired",
        ),
      );
    });

    it("a tampered Edit region link, in its signature or its payload: one sentence, nothing spent", async () => {
      const token = signEditRegionLink(LINK_SECRET, ASK);
      const dot = token.indexOf(".");
      const sentence =
        "This Edit region link is not valid (it was changed or cut short); press Edit region under the image again.";
      await costsNothing(async () => {
        await openLinkRefused(
          world.page,
          changed(token, dot + 5),
          sentence,
          "31-refused-link-tampered-signature",
        );
        await openLinkRefused(world.page, changed(token, 5), sentence, "32-refused-link-tampered-payload");
        await openLinkRefused(world.page, token.slice(0, -3), sentence, "33-refused-link-cut-short");
      });
    });

    it("a link made for someone else, opened by the signed-in operator: one sentence, nothing spent", async () => {
      await costsNothing(() =>
        openLinkRefused(
          world.page,
          signEditRegionLink(LINK_SECRET, ASK),
          "This Edit region link was made for someone else; press Edit region under the image yourself, signed in as you.",
          "34-refused-link-other-person",
        ),
      );
    });

    it("a session cookie from before a restart with a rotated secret leads to sign-in, saying why", async () => {
      const browser = world.page.context().browser();
      if (!browser) throw new Error("the page has no browser");
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const [name = "", value = ""] = cookieFor(OPERATOR, "the-secret-before-the-restart").split("=");
        expect(name).toBe(SESSION_COOKIE);
        await context.addCookies([{ name, value, url: `${base}/studio/` }]);
        const page = await context.newPage();
        await costsNothing(async () => {
          await page.goto(`${base}/studio/`);
          expect(new URL(page.url()).pathname).toBe("/studio/sign-in");
          expect(await page.getByRole("alert").textContent()).toBe(
            "Your sign-in has ended (the studio was restarted with a new secret, or it expired): sign in again.",
          );
          await page.screenshot({
            path: join(SCREENSHOTS, "35-refused-rotated-session.png"),
            fullPage: true,
          });
          // The stale cookie was cleared: the API knows no one in this browser now.
          expect((await page.request.get(`${base}/studio/api/me`)).status()).toBe(401);
        });
      } finally {
        await context.close();
      }
    });

    it("a form posted without its CSRF token: refused in one sentence, which the page shows", async () => {
      const { page } = world;
      await page.goto(`${base}/studio/`);
      await page.waitForSelector("#generate");
      await costsNothing(async () => {
        // From the browser's own context, with its session cookie but no token.
        const answer = await page.request.post(`${base}/studio/api/runs`, {
          multipart: { prompt: "a cat", options: "{}" },
        });
        expect(answer.status()).toBe(403);
        expect(((await answer.json()) as { error: string }).error).toBe(CSRF_SENTENCE);
        // The page's own submit with its token taken off (a tab from before the session changed): it shows why.
        await page.route("**/studio/api/runs", (route) => {
          const { "x-csrf-token": _token, ...headers } = route.request().headers();
          return route.continue({ headers });
        });
        try {
          await page.fill("#prompt", "a cat on a windowsill");
          const refused = page.waitForResponse((res) => res.url().endsWith("/studio/api/runs"));
          await page.click("#generate");
          expect((await refused).status()).toBe(403);
          await eventually(() => page.locator("#form-error").textContent()).toBe(CSRF_SENTENCE);
          await world.shot("36-refused-no-csrf-token");
        } finally {
          await page.unroute("**/studio/api/runs");
        }
      });
    });

    it("a mask of another size than the image: refused in one sentence, nothing spent", async () => {
      const { page } = world;
      const me = (await (await page.request.get(`${base}/studio/api/me`)).json()) as StudioMe;
      await costsNothing(async () => {
        const answer = await page.request.post(`${base}/studio/api/runs`, {
          headers: { "x-csrf-token": me.csrf },
          multipart: {
            prompt: "a red boat where I painted",
            options: "{}",
            image: { name: "harbour.png", mimeType: "image/png", buffer: await png(64, 64, "#2a7") },
            mask: { name: "mask.png", mimeType: "image/png", buffer: await png(32, 32, "#fff") },
          },
        });
        expect(answer.status()).toBe(400);
        expect(((await answer.json()) as { error: string }).error).toBe(
          "The mask is 32x32 but the first image is 64x64; they must match.",
        );
      });
    });

    it("the page's own painted edit with its mask swapped for one of another size: the page shows the sentence", async () => {
      const { page } = world;
      await page.goto(`${base}/studio/`);
      await page.waitForSelector("#generate");
      const photo = await png(320, 192, "#2a7");
      await page.setInputFiles("#image-picker", {
        name: "harbour.png",
        mimeType: "image/png",
        buffer: photo,
      });
      await page.getByRole("button", { name: "Paint region" }).click();
      const box = await page.locator("canvas.strokes").boundingBox();
      if (!box) throw new Error("no canvas to paint on");
      await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 8 });
      await page.mouse.up();
      await page.fill("#prompt", "a red boat where I painted");
      const small = await png(32, 32, "#fff");
      await page.route("**/studio/api/runs", async (route) => {
        const request = route.request();
        const { "content-type": type = "", "content-length": _length, ...headers } = request.headers();
        // The page's form read back as undici reads it, its mask replaced, and written out again.
        const form = await new Request(request.url(), {
          method: "POST",
          headers: { "content-type": type },
          body: request.postDataBuffer() ?? Buffer.alloc(0),
        }).formData();
        if (!(form.get("mask") instanceof Blob)) throw new Error("the page sent no mask");
        form.set("mask", new Blob([small], { type: "image/png" }), "mask.png");
        const swapped = new Request(request.url(), { method: "POST", body: form });
        await route.continue({
          headers: { ...headers, "content-type": swapped.headers.get("content-type") ?? "" },
          postData: Buffer.from(await swapped.arrayBuffer()),
        });
      });
      try {
        await costsNothing(async () => {
          const refused = page.waitForResponse((res) => res.url().endsWith("/studio/api/runs"));
          await page.click("#generate");
          expect((await refused).status()).toBe(400);
          await eventually(() => page.locator("#form-error").textContent()).toBe(
            "The mask is 32x32 but the first image is 320x192; they must match.",
          );
          await world.shot("37-refused-mask-other-size");
        });
      } finally {
        await page.unroute("**/studio/api/runs");
      }
    });
  },
);
