import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../slack/harness.js";
import { PROCESS_TEST_TIMEOUT_MS, type ScriptProcess, startCommand, waitGone } from "./scripts.js";

/**
 * `npm run try` as a person runs it: one OS process, typed into through stdin, read through stdout. No Redis
 * answers on its REDIS_URL, so it starts a private one; Ctrl-C (SIGINT) must leave nothing running.
 */

let dir: string;
let run: ScriptProcess;
/** Where the output read so far ends: each step looks only at what came after the line it typed. */
let seen = 0;

function type(line: string): void {
  seen = run.output().length;
  run.child.stdin?.write(`${line}\n`);
}

/** What `pattern` matches in the output since the last typed line, once it shows. */
async function shows(pattern: RegExp, what: string): Promise<RegExpExecArray> {
  const from = seen;
  const sticky = new RegExp(`[\\s\\S]{${from}}[\\s\\S]*?(?:${pattern.source})`, pattern.flags);
  const match = await run.waitForOutput(sticky, what, 90_000);
  return pattern.exec(match[0].slice(from)) as RegExpExecArray;
}

/** The final image a message shows (its job's `_0.png`), checked to be a real PNG. */
async function finalImage(number: number): Promise<string> {
  const [, path = ""] = await shows(new RegExp(`#${number} 🖼\\s+(\\S+_0\\.png)`), `#${number}'s final image`);
  expect(await sharp(path).metadata()).toMatchObject({ format: "png" });
  return path;
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "imagine-try-"));
});

afterAll(async () => {
  await run?.terminate(10_000);
  await rm(dir, { recursive: true, force: true });
});

describe("npm run try", () => {
  it(
    "is a console where a person imagines, presses Re-roll, Vary and Cancel, replies with a file, refines in a thread and sees /usage",
    async () => {
      const deadRedis = `redis://127.0.0.1:${await freePort()}`;
      const out = join(dir, "images");
      run = startCommand(
        ["npm", "run", "-s", "try", "--", "--out", out, "--latency", "20"],
        { REDIS_URL: deadRedis },
        undefined,
        {
          stdin: true,
        },
      );
      const [, privateRedis = ""] = await shows(/started a private one on (\S+) /, "the private Redis");
      const [, botPid = ""] = await shows(/npm start, pid (\d+)/, "the bot's start");
      const [, appPid = ""] = await shows(/Ready: the bot runs \(app pid (\d+)\)/, "the console");

      type("/imagine a fox partials:1");
      await shows(/#1 › 🎨 Queued/, "the queued stage");
      const first = await finalImage(1);
      expect(first.startsWith(out)).toBe(true);
      await shows(/\[Re-roll\] \[Vary\]/, "the result's buttons");

      type("press Re-roll");
      await shows(/you pressed \[Re-roll\] on #1/, "the press");
      await finalImage(2);
      type("press Vary #1");
      await shows(/you pressed \[Vary\] on #1/, "the press");
      await finalImage(3);

      // The fake OpenAI holds its events, so the job is still running when Cancel is pressed.
      type("hold");
      type("/imagine a slow fox");
      await shows(/#4 › 🎨 Generating/, "the running job");
      type("press Cancel");
      await shows(/#4 › 🛑 Cancelled/, "the cancelled job");
      type("release");

      const photo = join(dir, "red.png");
      await sharp({ create: { width: 64, height: 64, channels: 3, background: "#c33" } })
        .png()
        .toFile(photo);
      type(`reply ${photo} make it night`);
      await shows(/#5 › \*\*Prompt:\*\* make it night/, "the edit's result");
      await finalImage(5);

      type("press Refine in thread");
      await shows(/🧵 thread “[^”]+” is open/, "the thread");
      type("say add a moon");
      await shows(/#\d+ imagine in thread “/, "the bot's answer in the thread");
      await shows(/\*\*Prompt:\*\* add a moon/, "the thread turn's result");

      type("/usage");
      await shows(/Your daily budget/, "/usage's answer");
      type("/settings");
      await shows(/Your defaults for \/imagine/, "/settings' answer");
      type("/imagine a fox size:123x45");
      await shows(/⚠️ Size 123x45/, "the refusal");

      expect(await answers(privateRedis)).toBe(true);
      run.child.kill("SIGINT");
      const ended = await run.exited;
      expect(ended, run.output()).toEqual({ code: 0, signal: null });
      expect(run.output()).toContain("Stopped.");
      await waitGone(Number(botPid), 5_000);
      await waitGone(Number(appPid), 5_000);
      expect(await answers(privateRedis)).toBe(false);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
