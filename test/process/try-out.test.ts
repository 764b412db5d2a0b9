import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { freePort } from "../slack/harness.js";
import {
  PROCESS_TEST_TIMEOUT_MS,
  REPO_ROOT,
  type ScriptProcess,
  startNpm,
  startScript,
  stopCleanly,
} from "./scripts.js";

/**
 * docs/try-it-offline.md (README links it), run as a newcomer runs it, each command its own OS process: the
 * fake OpenAI, the fake Discord (or Slack), `npm start` with the variables the fakes printed, then `npm run
 * fake:discord -- --imagine "a fox"` (or fake:slack), which must exit 0 having saved the final image. The
 * commands are read from that page; only the ports, the queue prefix, the storage folder and `--out` differ, so
 * that nothing touches a developer's own.
 */

/** A command of the page: the variables set before it, and npm's arguments. */
interface Command {
  env: Record<string, string>;
  npm: string[];
}

/** The `sh` blocks of docs/try-it-offline.md, continuation lines joined. */
function readmeCommands(): string[] {
  const section = readFileSync(join(REPO_ROOT, "docs", "try-it-offline.md"), "utf8");
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((block) =>
    (block[1] ?? "").replace(/\\\n\s*/g, " ").trim(),
  );
}

/** The page's command that contains `marker`, on the test's ports, split like a shell does (double quotes). */
function command(marker: string, ports: Record<string, string>): Command {
  const found = readmeCommands().find((text) => text.includes(marker));
  if (found === undefined) throw new Error(`docs/try-it-offline.md has no command with ${marker}`);
  // One pass: replacing the ports one after the other would rewrite a test port that happens to contain the
  // next page port (a fake OpenAI on port 34030 would become 3<Discord port>): a rare, random failure.
  const readmePorts = new RegExp(Object.keys(ports).join("|"), "g");
  const text = found.replace(readmePorts, (port) => ports[port] ?? port);
  const words = [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? "");
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? "")) {
    const [name = "", ...value] = (words.shift() ?? "").split("=");
    env[name] = value.join("=");
  }
  if (words.shift() !== "npm") throw new Error(`not an npm command: ${found}`);
  return { env, npm: words };
}

const running: ScriptProcess[] = [];
const bots: ScriptProcess[] = [];
let prefix: string;
let storageDir: string;
let outDir: string;
let openai: ScriptProcess;
let openaiPort: string;
let openaiUrl: string;

/** A command of the page other than the bot's: a fake, or the try-out. */
function npmRun(args: string[]): ScriptProcess {
  const run = startNpm(args);
  running.push(run);
  return run;
}

/** The page's `… npm start`, with the test's own Redis keys and storage folder. */
function startBot(start: Command): ScriptProcess {
  expect(start.npm).toEqual(["start"]);
  const bot = startScript("start", {
    ...start.env,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    STORAGE_DIR: storageDir,
  });
  bots.push(bot);
  return bot;
}

/** The page's try-out command (plus `extra`) against the fake on `port`: exit code, output, saved image. */
async function tryOut(imagine: Command, port: string, extra: string[] = []) {
  const run = npmRun([...imagine.npm, "--port", port, "--out", outDir, ...extra]);
  const { code } = await run.exited;
  const saved = /^saved (.+\.png)$/m.exec(run.output())?.[1];
  const image = saved === undefined ? undefined : await sharp(saved).metadata();
  return { code, output: run.output(), saved, image };
}

beforeAll(async () => {
  prefix = uniquePrefix("try-out");
  storageDir = await mkdtemp(join(tmpdir(), "imagine-try-out-runs-"));
  outDir = await mkdtemp(join(tmpdir(), "imagine-try-out-images-"));
  openaiPort = String(await freePort());
  openai = npmRun(command("fake:openai -- --port", { "4010": openaiPort }).npm);
  [, openaiUrl = ""] = await openai.waitForOutput(/OPENAI_BASE_URL=(\S+)/, "the fake OpenAI's address");
});

afterAll(async () => {
  for (const bot of bots) await bot.terminate(3_000);
  if (openai) await stopCleanly(openai);
  await Promise.all(running.map((run) => run.terminate(3_000)));
  await dropPrefix(prefix);
  await Promise.all([storageDir, outDir].map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("Try it offline with the fake Discord", () => {
  it(
    "sends /imagine to the bot started with the printed variables, and saves the final image",
    async () => {
      const port = String(await freePort());
      const ports = { "4010": openaiPort, "4030": port };
      const imagine = command("fake:discord -- --imagine", ports);
      const nothing = await tryOut(imagine, port);
      expect(nothing.code).toBe(1);
      expect(nothing.output).toContain(`Nothing is listening on http://127.0.0.1:${port}`);

      const fake = npmRun(command("fake:discord -- --port", ports).npm);
      const [, apiUrl, token] = await fake.waitForOutput(
        /DISCORD_API_URL=(\S+) DISCORD_TOKEN=(\S+)/,
        "the variables to use",
      );
      const start = command("DISCORD_TOKEN=", ports);
      // The page's command is what the fakes print: a newcomer may copy either.
      expect(start.env).toEqual({
        OPENAI_API_KEY: "sk-fake",
        OPENAI_BASE_URL: openaiUrl,
        DISCORD_API_URL: apiUrl,
        DISCORD_TOKEN: token,
        REDIS_URL: "redis://127.0.0.1:6379",
      });
      const bot = startBot(start);
      await bot.waitForLog((line) => line.msg === "discord gateway ready", "the gateway");

      const done = await tryOut(imagine, port);
      expect(done.code, done.output).toBe(0);
      expect(done.output).toContain("🎨 Queued");
      expect(done.output).toMatch(/^buttons: reroll:\S+ {2}vary:/m);
      expect(done.saved?.startsWith(outDir)).toBe(true);
      expect(done.image).toMatchObject({ format: "png", width: 1024, height: 1024 });

      const refused = await tryOut(imagine, port, ["--size", "123x45"]);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain("⚠️ Size 123x45");
      // The operator's log: a person's mistake at info, what they were told, no error and no stack.
      const refusal = await bot.waitForLog((line) => line.msg === "interaction refused", "the refusal");
      expect(refusal).toMatchObject({ level: 30, told: expect.stringContaining("123x45") });
      expect(refusal).not.toHaveProperty("err");

      await stopCleanly(bot);
      await stopCleanly(fake);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});

describe("Try it offline with the fake Slack", () => {
  it(
    "sends /imagine over Socket Mode to the bot started with the printed variables, and saves it",
    async () => {
      const port = String(await freePort());
      const ports = { "4010": openaiPort, "4020": port };
      const imagine = command("fake:slack -- --imagine", ports);
      const fake = npmRun(command("fake:slack -- --port", ports).npm);
      const [, apiUrl, botToken, appToken] = await fake.waitForOutput(
        /SLACK_API_URL=(\S+) SLACK_BOT_TOKEN=(\S+) SLACK_APP_TOKEN=(\S+)/,
        "the variables to use",
      );
      const noBot = await tryOut(imagine, port);
      expect(noBot.code).toBe(1);
      expect(noBot.output).toContain("No app is connected to the fake Slack over Socket Mode");

      const start = command("SLACK_APP_TOKEN=", ports);
      expect(start.env).toEqual({
        OPENAI_API_KEY: "sk-fake",
        OPENAI_BASE_URL: openaiUrl,
        SLACK_API_URL: apiUrl,
        SLACK_BOT_TOKEN: botToken,
        SLACK_APP_TOKEN: appToken,
        REDIS_URL: "redis://127.0.0.1:6379",
      });
      const bot = startBot(start);
      await bot.waitForLog((line) => line.msg === "imagine-bot running", "start-up");

      const done = await tryOut(imagine, port, ["--size", "1536x1024"]);
      expect(done.code, done.output).toBe(0);
      expect(done.output).toContain("_queued_");
      expect(done.output).toMatch(/^buttons: imagine_reroll=reroll:\S+/m);
      // The final went up to the fake's upload URL and came back from its url_private with the bot token.
      expect(done.image).toMatchObject({ format: "png", width: 1536, height: 1024 });

      // A word of /imagine is answered only privately (through the response_url): the try-out ends with it.
      const usage = npmRun([
        "run",
        "fake:slack",
        "--",
        "--imagine",
        "usage",
        "--port",
        port,
        "--out",
        outDir,
      ]);
      expect(await usage.exited, usage.output()).toEqual({ code: 0, signal: null });
      expect(usage.output()).toContain("*Your jobs*");

      await stopCleanly(bot);
      await stopCleanly(fake);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
