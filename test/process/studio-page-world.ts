import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page, type Request } from "playwright-core";
import { expect } from "vitest";
import { type FakeOpenAI, type RecordedRequest, startFakeOpenAI } from "../fakes/openai/server.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { WAIT_TIMEOUT_MS } from "../helpers/wait-for.js";
import { REPO_ROOT, type ScriptProcess, startScript } from "./npm-process.js";

/** Debian's Chromium (`.ci/run` installs it when missing): playwright-core drives it, nothing downloads one. */
export const CHROMIUM = "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Where each step's screenshot is kept for a person to look at (runs/ is not committed). */
export const SCREENSHOTS = join(REPO_ROOT, "runs", "screenshots", "studio");

/**
 * `npm run web` as an operator starts it (single-operator mode, its one-time link read from stdout), against the
 * fake OpenAI on the real Redis, and Chromium signed in through that link on the built page.
 */
export interface StudioPageWorld {
  openai: FakeOpenAI;
  web: ScriptProcess;
  /** The process's `QUEUE_PREFIX`: its Redis keys (budgets, links) are under it. */
  prefix: string;
  page: Page;
  /** The POSTs the page made to `/studio/api/runs`, in order. */
  runPosts: Request[];
  /** The fake OpenAI's image requests (generations, edits, responses), in order. */
  imageRequests(): RecordedRequest[];
  /** A screenshot of the page as it is now, `runs/screenshots/studio/<name>.png`. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** `expect.poll` with the suite's patience: a page's answer can take seconds on a loaded 2-core machine. */
export const eventually = <T>(value: () => T | Promise<T>) =>
  expect.poll(value, { timeout: WAIT_TIMEOUT_MS });

export async function startStudioPage(
  label: string,
  viewport = { width: 1280, height: 900 },
  env: Record<string, string> = {},
): Promise<StudioPageWorld> {
  const openai = await startFakeOpenAI();
  const prefix = uniquePrefix(label);
  const storageDir = await mkdtemp(join(tmpdir(), `imagine-${label}-`));
  const web = startScript("web", { ...baseTestEnv(openai.url, prefix, storageDir), ...env });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await web.terminate(5_000);
    await openai.close();
    await dropPrefix(prefix);
    await rm(storageDir, { recursive: true, force: true });
  };
  try {
    const [, link = ""] = await web.waitForOutput(
      /Studio sign-in link \(works once\): (\S+)/,
      "the sign-in link",
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    const page = await (await browser.newContext({ viewport })).newPage();
    const runPosts: Request[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/studio/api/runs")) runPosts.push(request);
    });
    await page.goto(link);
    await page.waitForSelector("#generate");
    await mkdir(SCREENSHOTS, { recursive: true });
    return {
      openai,
      web,
      prefix,
      page,
      runPosts,
      imageRequests: () => openai.requests.filter((request) => request.method === "POST"),
      shot: async (name) => {
        // At the top: a sticky bar is drawn where the page is scrolled to, halfway down a full-page picture.
        await page.evaluate(() =>
          (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
        );
        await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
