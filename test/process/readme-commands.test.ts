import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateRedis } from "../helpers/private-redis.js";
import { TEST_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { freePort } from "../slack/harness.js";
import { REPO_ROOT, type ScriptProcess, startCommand, startNpm, waitGone } from "./scripts.js";
import { TryConsole } from "./try-console.js";

/**
 * README.md followed as a newcomer follows it, on a fresh clone (HEAD with the uncommitted changes to tracked
 * files): each command of a section's `sh` blocks run as printed (parsed from the clone's README, so changing
 * README changes what runs). "Try it offline": `npm run try` with README's console example typed into it, each
 * line until the image it makes arrives, then Ctrl-C. "Set it up for real", without Docker (none here): `.env`
 * from `.env.example`, the doctor, then the bot answering a `/imagine` on the fakes. `npm test` (README's other
 * command) is not run here: it is this test.
 */

/** `npm ci` fetches nothing here: the npm cache already holds the lock's packages (`npm ci` ran to get here). */
const OFFLINE = (command: string) => command.replace(/^npm ci\b/, "npm ci --offline");
/** A clean install (45 to 80 s) and a first build (about a minute) on a loaded 2-core machine, then the jobs. */
const FRESH_CLONE_TIMEOUT_MS = 600_000;

let clone: string;
const started: ScriptProcess[] = [];
/** Commands already run in the clone: `npm ci` begins both sections, and its effect is there once it ran. */
const ran = new Set<string>();

/** README's section under `## heading`, up to the next `## `. */
function section(heading: string): string {
  const readme = readFileSync(join(clone, "README.md"), "utf8");
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section "## ${heading}"`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The commands of each of a text's `sh` blocks: one per line, `a && b` as two. */
function shellBlocks(text: string): string[][] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((block) =>
    (block[1] ?? "")
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .flatMap((line) => line.split(" && "))
      .map((command) => command.trim())
      .filter((command) => command !== ""),
  );
}

/** The commands of a text's `sh` blocks, in order. */
function shellCommands(text: string): string[] {
  return shellBlocks(text).flat();
}

/** What a section's console example has the person type: its `> ` lines. */
function consoleLines(text: string): string[] {
  return [...text.matchAll(/```text\n([\s\S]*?)```/g)]
    .flatMap((block) => (block[1] ?? "").split("\n"))
    .filter((line) => line.startsWith("> "))
    .map((line) => line.slice(2).trim());
}

/** A README command in the clone, as a shell runs it, in a process group of its own (as a terminal starts it). */
function inClone(
  command: string,
  env: Record<string, string | undefined>,
  { stdin = false, asPrinted = false } = {},
): ScriptProcess {
  const run = startCommand(["sh", "-c", asPrinted ? command : OFFLINE(command)], env, clone, {
    ownGroup: true,
    stdin,
  });
  started.push(run);
  ran.add(command);
  return run;
}

/** Runs a README command in the clone to its end; it must succeed. */
async function succeeds(command: string, env: Record<string, string | undefined>): Promise<ScriptProcess> {
  let run = inClone(command, env);
  let status = await run.exited;
  // A cache without the lock's packages (a developer's cleaned one): the command as printed, from the registry.
  if (status.code !== 0 && OFFLINE(command) !== command && run.output().includes("ENOTCACHED")) {
    run = inClone(command, env, { asPrinted: true });
    status = await run.exited;
  }
  expect(status, `${command}:\n${run.output()}`).toEqual({ code: 0, signal: null });
  return run;
}

/** A signal to a command's whole process group, as a terminal's Ctrl-C reaches every process it started. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), "imagine-readme-"));
  // What a person's `git clone` gets: no dist/, no node_modules, no runs/. `git stash create` makes a commit of
  // the tracked files as they are now (touching no branch, index or file), so an edit is tried before it is made.
  const worktree = execFileSync("git", ["stash", "create"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", REPO_ROOT, clone]);
  if (worktree !== "") execFileSync("git", ["checkout", "--quiet", worktree], { cwd: clone });
});

afterAll(async () => {
  for (const run of started) if (run.child.pid !== undefined) killGroup(run.child.pid, "SIGKILL");
  await rm(clone, { recursive: true, force: true });
});

describe("README.md, followed on a fresh clone", () => {
  it(
    "Try it offline: its commands work as printed, and its console example makes the images it shows",
    async () => {
      const offline = section("Try it offline");
      const commands = shellCommands(offline);
      const typed = consoleLines(offline);
      expect(commands.at(-1), "README's try-out ends in the console").toMatch(/^npm run try\b/);
      expect(typed.length).toBeGreaterThan(0);

      for (const command of commands.slice(0, -1)) await succeeds(command, { REDIS_URL: TEST_REDIS_URL });
      const run = inClone(commands.at(-1) as string, { REDIS_URL: TEST_REDIS_URL }, { stdin: true });
      const shell = new TryConsole(run);
      const [, botPid = ""] = await shell.shows(/npm start, pid (\d+)/, "the bot's start");
      const [, appPid = ""] = await shell.shows(/Ready: the bot runs \(app pid (\d+)\)/, "the console");
      for (const line of typed) {
        shell.type(line);
        const number = await shell.nextFinal(`the image of "${line}"`);
        expect(shell.run.output(), line).toContain(`${join(clone, "runs", "try")}/`);
        expect(number).toBeGreaterThan(0);
      }

      // Ctrl-C in a terminal: SIGINT to every process of the command's group.
      killGroup(run.child.pid as number, "SIGINT");
      await run.exited;
      expect(run.output()).toContain("Stopped.");
      for (const pid of [botPid, appPid]) await waitGone(Number(pid), 10_000);
    },
    FRESH_CLONE_TIMEOUT_MS,
  );

  it(
    "Set it up for real, without Docker: .env from .env.example, the doctor passes, the bot started as printed answers",
    async () => {
      const setUp = section("Set it up for real");
      expect(setUp).toContain("Copy `.env.example` to `.env`");
      const withoutDocker = shellBlocks(setUp).find((block) => block.at(-1) === "npm start");
      if (withoutDocker === undefined) throw new Error("README's set-up has no block ending in `npm start`");
      expect(withoutDocker.some((command) => /^npm run doctor\b/.test(command))).toBe(true);

      // What the real services would be: a Redis that keeps its data (the doctor checks it does), the fakes.
      const redis = await startPrivateRedis();
      const openai = startNpm(["run", "-s", "fake:openai", "--", "--port", String(await freePort())]);
      const discordPort = String(await freePort());
      const discord = startNpm(["run", "-s", "fake:discord", "--", "--port", discordPort]);
      started.push(openai, discord);
      try {
        const [, openaiUrl = ""] = await openai.waitForOutput(
          /OPENAI_BASE_URL=(\S+)/,
          "the fake OpenAI's address",
        );
        const [, apiUrl = "", token = ""] = await discord.waitForOutput(
          /DISCORD_API_URL=(\S+) DISCORD_TOKEN=(\S+)/,
          "the fake Discord's variables",
        );
        // README's step 1 as a person does it: the example copied, then filled in.
        const filled = {
          OPENAI_API_KEY: "sk-fake",
          OPENAI_BASE_URL: openaiUrl,
          DISCORD_API_URL: apiUrl,
          DISCORD_TOKEN: token,
          REDIS_URL: redis.url,
          QUEUE_PREFIX: uniquePrefix("readme"),
          HTTP_PORT: "0",
        };
        copyFileSync(join(clone, ".env.example"), join(clone, ".env"));
        const lines = Object.entries(filled).map(([name, value]) => `${name}=${value}\n`);
        appendFileSync(join(clone, ".env"), lines.join(""));
        // Nothing of these from the test's environment: the programs read them from .env.
        const fromDotEnv = Object.fromEntries(Object.keys(filled).map((name) => [name, undefined]));

        for (const command of withoutDocker.slice(0, -1).filter((command) => !ran.has(command))) {
          const run = await succeeds(command, fromDotEnv);
          if (!command.startsWith("npm run doctor")) continue;
          const checks = run.output().match(/^[✓!✗] .*$/gm) ?? [];
          expect(checks.length, run.output()).toBeGreaterThan(3);
          expect(checks.filter((line) => line.startsWith("✗"))).toEqual([]);
        }

        const bot = inClone("npm start", fromDotEnv);
        await bot.waitForLog((line) => line.msg === "discord gateway ready", "the gateway");
        const out = join(clone, "runs", "readme");
        const imagine = startNpm([
          "run",
          "-s",
          "fake:discord",
          "--",
          "--imagine",
          "a fox",
          "--port",
          discordPort,
          "--out",
          out,
        ]);
        started.push(imagine);
        expect(await imagine.exited, imagine.output()).toEqual({ code: 0, signal: null });
        expect(imagine.output()).toMatch(/^saved .+\.png$/m);
        // As a supervisor stops it (`kill -TERM -- -PGID`, as timeout and systemd do): nothing is left running.
        const appPid = bot.appPid();
        killGroup(bot.child.pid as number, "SIGTERM");
        await bot.exited;
        expect(bot.output()).toContain("shutting down: no new jobs; running jobs finish");
        if (appPid !== undefined) await waitGone(appPid, 10_000);
      } finally {
        await Promise.all([openai, discord].map((run) => run.terminate(5_000)));
        await redis.stop();
      }
    },
    FRESH_CLONE_TIMEOUT_MS,
  );
});
