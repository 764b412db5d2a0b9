import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_REDIS_URL } from "../helpers/redis.js";
import { REPO_ROOT, type ScriptProcess, startCommand, waitGone } from "./scripts.js";
import { TryConsole } from "./try-console.js";

/**
 * README.md's "Try it offline" as a newcomer follows it, on a fresh clone (HEAD with the uncommitted changes to
 * tracked files): each command of its `sh` block run as printed (parsed from the clone's README, so changing
 * README changes what runs), then the lines of its console example typed into `npm run try`, each until the final
 * image it makes arrives, then Ctrl-C.
 * `npm test` (README's other command) is not run here: it is this test.
 */

/** `npm ci` fetches nothing here: the npm cache already holds the lock's packages (`npm ci` ran to get here). */
const OFFLINE = (command: string) => command.replace(/^npm ci\b/, "npm ci --offline");
/** A clean install (about 45 s) and a first build (about a minute) on a loaded 2-core machine, then the jobs. */
const FRESH_CLONE_TIMEOUT_MS = 600_000;

/** README's section under `## heading`, up to the next `## `. */
function section(heading: string): string {
  const readme = readFileSync(join(clone, "README.md"), "utf8");
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section "## ${heading}"`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The commands of a section's `sh` blocks, in order: one per line, `a && b` as two. */
function shellCommands(text: string): string[] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((block) => (block[1] ?? "").replace(/\\\n\s*/g, " ").split("\n"))
    .flatMap((line) => line.split(" && "))
    .map((command) => command.trim())
    .filter((command) => command !== "");
}

/** What the section's console example has the person type: its `> ` lines. */
function consoleLines(text: string): string[] {
  return [...text.matchAll(/```text\n([\s\S]*?)```/g)]
    .flatMap((block) => (block[1] ?? "").split("\n"))
    .filter((line) => line.startsWith("> "))
    .map((line) => line.slice(2).trim());
}

let clone: string;
const started: ScriptProcess[] = [];

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

/** A signal to a command's whole process group, as a terminal's Ctrl-C reaches every process it started. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

describe("README.md, followed on a fresh clone", () => {
  it(
    "Try it offline: its commands work as printed, and its console example makes the images it shows",
    async () => {
      const offline = section("Try it offline");
      const commands = shellCommands(offline);
      const typed = consoleLines(offline);
      expect(commands.at(-1), "README's try-out ends in the console").toMatch(/^npm run try\b/);
      expect(typed.length).toBeGreaterThan(0);

      for (const command of commands.slice(0, -1)) {
        const run = startCommand(["sh", "-c", OFFLINE(command)], { REDIS_URL: TEST_REDIS_URL }, clone, {
          ownGroup: true,
        });
        started.push(run);
        expect(await run.exited, `${command}:\n${run.output()}`).toEqual({ code: 0, signal: null });
      }

      const run = startCommand(
        ["sh", "-c", commands.at(-1) as string],
        { REDIS_URL: TEST_REDIS_URL },
        clone,
        {
          ownGroup: true,
          stdin: true,
        },
      );
      started.push(run);
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
});
