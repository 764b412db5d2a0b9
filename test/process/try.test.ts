import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisAnswers } from "../helpers/private-redis.js";
import { freePort } from "../slack/harness.js";
import { PROCESS_TEST_TIMEOUT_MS, REPO_ROOT, waitGone } from "./scripts.js";
import { TryConsole } from "./try-console.js";

/** `npm run try` driven through its console as a real OS process; Ctrl-C must leave nothing running. */

/** Debian's Chromium (`.ci/run` installs it when missing): playwright-core drives it, nothing downloads one. */
const CHROMIUM = "/usr/bin/chromium";
/** Where the web page's screenshot is kept for a person to look at (runs/ is not committed). */
const SCREENSHOT = join(REPO_ROOT, "runs", "try-web.png");

let dir: string;
let photo: string;
const consoles: TryConsole[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "imagine-try-"));
  photo = join(dir, "red.png");
  await sharp({ create: { width: 64, height: 64, channels: 3, background: "#c33" } })
    .png()
    .toFile(photo);
});

afterAll(async () => {
  for (const shell of consoles) await shell.run.terminate(10_000);
  await rm(dir, { recursive: true, force: true });
});

/** Ctrl-C: the console stops the bot (npm and the app), the fakes and what else it started, and exits 0. */
async function interrupt(shell: TryConsole, pids: string[]): Promise<void> {
  shell.run.child.kill("SIGINT");
  expect(await shell.run.exited, shell.run.output()).toEqual({ code: 0, signal: null });
  expect(shell.run.output()).toContain("Stopped.");
  for (const pid of pids) await waitGone(Number(pid), 5_000);
}

describe("npm run try", () => {
  it(
    "on Discord: /imagine, Re-roll, Vary, Cancel on a running job, a reply with a file, a thread turn, /forget, /usage, /settings",
    async () => {
      // No Redis answers on REDIS_URL: the try-out starts a private one, and stops it.
      const deadRedis = `redis://127.0.0.1:${await freePort()}`;
      const out = join(dir, "discord");
      const shell = new TryConsole(["--out", out, "--latency", "20"], { REDIS_URL: deadRedis });
      consoles.push(shell);
      const [, privateRedis = ""] = await shell.shows(/started a private one on (\S+) /, "the private Redis");
      const [, botPid = ""] = await shell.shows(/npm start, pid (\d+)/, "the bot's start");
      const [, appPid = ""] = await shell.shows(/Ready: the bot runs \(app pid (\d+)\)/, "the console");

      shell.type("/imagine a fox partials:1");
      await shell.shows(/#1 › 🎨 Queued/, "the queued stage");
      expect((await shell.finalImage(1)).startsWith(out)).toBe(true);
      await shell.shows(/\[Re-roll\] \[Vary\]/, "the result's buttons");

      shell.type("press Re-roll");
      await shell.shows(/you pressed \[Re-roll\] on #1/, "the press");
      await shell.finalImage(2);
      shell.type("press Vary #1");
      await shell.shows(/you pressed \[Vary\] on #1/, "the press");
      await shell.finalImage(3);

      // The fake OpenAI holds its events, so the job is still running when Cancel is pressed.
      shell.type("hold");
      shell.type("/imagine a slow fox");
      await shell.shows(/#4 › 🎨 Generating/, "the running job");
      shell.type("press Cancel");
      await shell.shows(/#4 › 🛑 Cancelled/, "the cancelled job");
      shell.type("release");

      shell.type(`reply ${photo} make it night`);
      await shell.shows(/#5 › \*\*Prompt:\*\* make it night/, "the edit's result");
      await shell.finalImage(5);

      shell.type("press Refine in thread");
      await shell.shows(/🧵 thread “[^”]+” is open/, "the thread");
      // As a person would, speak once the bot says where: it has then taken the thread as its own.
      await shell.shows(/› Refine in #/, "the bot's pointer to the thread");
      shell.type("say add a moon");
      const [, turn = ""] = await shell.shows(/#(\d+) imagine in thread “/, "the bot's answer in the thread");
      await shell.shows(/\*\*Prompt:\*\* add a moon/, "the thread turn's result");
      await shell.finalImage(turn);
      // Typed in the thread the person spoke in last.
      shell.type("/forget");
      await shell.shows(/Deleted: .*this thread's history/, "/forget's answer");

      shell.type("/usage");
      await shell.shows(/Your daily budget/, "/usage's answer");
      shell.type("back");
      shell.type("/settings");
      await shell.shows(/Your defaults for \/imagine/, "/settings' answer");
      // Details answers with an embed, only to the presser: its fields are drawn, the cost among them.
      shell.type("press Details #1");
      await shell.shows(
        /#\d+ imagine in #general \(only you see it\)\s+#\d+ › [\s\S]*?Cost: \$\d+\.\d{4}/,
        "Details' embed",
      );
      shell.type("/imagine a fox size:123x45");
      await shell.shows(/⚠️ Size 123x45/, "the refusal");

      expect(await redisAnswers(privateRedis)).toBe(true);
      await interrupt(shell, [botPid, appPid]);
      expect(await redisAnswers(privateRedis)).toBe(false);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    "on Slack: /imagine, Re-roll, Vary, Cancel on a running job, a reply with a file and a turn in the result's thread, the Edit image shortcut, /usage",
    async () => {
      const shell = new TryConsole(["--slack", "--out", join(dir, "slack"), "--latency", "20"]);
      consoles.push(shell);
      const [, botPid = ""] = await shell.shows(/npm start, pid (\d+)/, "the bot's start");
      const [, appPid = ""] = await shell.shows(/Ready: the bot runs \(app pid (\d+)\)/, "the console");

      // The status in the channel (#1), the final shared in its thread (#2).
      shell.type("/imagine a fox partials:1");
      await shell.shows(/#1 › @you: a fox\s+_queued_/, "the queued stage");
      await shell.finalImage(2);
      await shell.shows(/\[Re-roll\] \[Vary\]/, "the result's buttons");

      shell.type("press Re-roll");
      await shell.shows(/you pressed \[Re-roll\] on #1/, "the press");
      await shell.finalImage(4);
      shell.type("press Vary #1");
      await shell.shows(/you pressed \[Vary\] on #1/, "the press");
      await shell.finalImage(6);

      shell.type("hold");
      shell.type("/imagine a slow fox");
      await shell.shows(/#7 › @you: a slow fox\s+_drawing…_/, "the running job");
      shell.type("press Cancel");
      await shell.shows(/#7 › @you: a slow fox\s+:no_entry_sign: Cancelled/, "the cancelled job");
      shell.type("release");

      // From here the model's words stream as messages of their own in the thread, so numbers are read, not assumed.
      shell.type(`reply ${photo} make it night`);
      await shell.shows(/#\d+ › @you: make it night/, "the edit's status");
      await shell.nextFinal("the edit's final");

      shell.type("say add a moon");
      await shell.shows(/#\d+ › @you: add a moon/, "the turn's status in the thread");
      const turn = await shell.nextFinal("the turn's final");

      shell.type(`menu Edit image #${turn}`);
      await shell.shows(/📝 The bot opened a form, “Edit image”/, "the shortcut's form");
      shell.type("form make it blue");
      await shell.shows(/#\d+ › @you: make it blue/, "the shortcut's edit");
      await shell.nextFinal("the shortcut edit's final");

      // Two files in one reply: @imagine blend with both.
      shell.type(`reply ${photo} ${photo} blend at dawn`);
      await shell.shows(/you replied to #\d+/, "the blend's reply");
      await shell.nextFinal("the blend's final");

      shell.type("help");
      await shell.shows(/on Slack\)[\s\S]*Shortcuts \(menu <name>\): .*Edit image/, "Slack's help");
      shell.type("/usage");
      await shell.shows(/\*Today\*/, "/usage's answer");
      await interrupt(shell, [botPid, appPid]);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    "with --web draws the channel, the final image visible in Chromium",
    async () => {
      const shell = new TryConsole(["--web", "--out", join(dir, "web"), "--latency", "20"]);
      consoles.push(shell);
      const [, url = ""] = await shell.shows(/The channel is drawn at (\S+)/, "the page's address");
      const [, botPid = ""] = await shell.shows(/npm start, pid (\d+)/, "the bot's start");
      const [, appPid = ""] = await shell.shows(/Ready: the bot runs \(app pid (\d+)\)/, "the console");
      shell.type("/imagine a lighthouse at dusk size:1536x1024");
      await shell.finalImage(1);

      if (!existsSync(CHROMIUM))
        throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does).`);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
      try {
        const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
        await page.goto(url);
        const final = page.locator('img[alt$="_0.png"]');
        await final.waitFor({ state: "visible", timeout: 30_000 });
        // Loaded, at the picture's own width (a string: the test's types have no DOM).
        await page.waitForFunction(
          `(() => { const img = document.querySelector('img[alt$="_0.png"]'); return img?.complete && img.naturalWidth === 1536; })()`,
        );
        await final.scrollIntoViewIfNeeded();
        expect(await page.locator(".buttons span", { hasText: "Re-roll" }).count()).toBeGreaterThan(0);
        await mkdir(join(REPO_ROOT, "runs"), { recursive: true });
        await page.screenshot({ path: SCREENSHOT });
        // The screenshot itself shows the image: where the page put it, the pixels are the picture's, not the
        // page's flat background.
        const box = await final.boundingBox();
        if (box === null) throw new Error("the final image has no box on the page");
        const region = {
          left: Math.round(box.x),
          top: Math.round(box.y),
          width: Math.round(box.width),
          height: Math.round(box.height),
        };
        const { channels } = await sharp(SCREENSHOT).extract(region).stats();
        expect(Math.max(...channels.map((channel) => channel.stdev))).toBeGreaterThan(10);
      } finally {
        await browser.close();
      }
      await interrupt(shell, [botPid, appPid]);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
