/**
 * `npm start`, `npm run bot`, `npm run worker` (any README command) as OS processes of their own, with their
 * logs read back: shared by the process tests and `npm run bench`, so nothing here imports vitest.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { waitFor } from "../helpers/wait-for.js";

/** The repository root: `npm run <script>` runs there, as README tells a newcomer. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Variables a developer's own `.env` or shell might hold that would point a test at a real service (the bot
 * reads `.env` under the environment, and the environment wins even with an empty value). Blanked for every
 * process a test starts; each test sets what it uses.
 */
const SHIELDED = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "OPENAI_ORG_ID",
  "OPENAI_PROJECT_ID",
  "AZURE_OPENAI_ENDPOINT",
  "AZURE_OPENAI_API_KEY",
  "DISCORD_TOKEN",
  "DISCORD_APPLICATION_ID",
  "DISCORD_GUILD_ID",
  "DISCORD_API_URL",
  "DISCORD_SHARD_COUNT",
  "DISCORD_SHARD_IDS",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "SLACK_API_URL",
  // A bucket in .env would take every test's run folders to the developer's own S3.
  "S3_BUCKET",
  "S3_ENDPOINT",
  "S3_REGION",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
  "S3_FORCE_PATH_STYLE",
  "S3_PREFIX",
];

/** One pino line of a process's stderr. */
export interface LogLine {
  level: number;
  msg: string;
  pid?: number;
  [key: string]: unknown;
}

export interface ScriptProcess {
  readonly script: string;
  readonly child: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  logs(): LogLine[];
  /** Resolves with the first log line matching `match` (already written or still to come). */
  waitForLog(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  /** Resolves once everything written so far (stdout and stderr) matches `pattern`. */
  waitForOutput(pattern: RegExp, what: string, timeoutMs?: number): Promise<RegExpExecArray>;
  /** The app's own process id (pino writes it on every line): npm's child, not npm. */
  appPid(): number | undefined;
  /**
   * SIGTERM to npm, as a supervisor sends it; resolves with how npm ended and how long it took. Past
   * `timeoutMs`, npm and the app are killed (so a failing test leaves nothing running).
   */
  terminate(timeoutMs?: number): Promise<{ code: number | null; signal: string | null; ms: number }>;
  /** Exit status once the process has ended by itself. */
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/**
 * Starts `npm run <script>` as its own OS process, exactly as README says (`npm start`, `npm run bot`,
 * `npm run worker`), with `env` over the test's environment; in the repository, or in `cwd` (a production
 * install).
 */
export function startScript(script: string, env: Record<string, string>, cwd = REPO_ROOT): ScriptProcess {
  return startNpm(script === "start" ? ["start"] : ["run", script], env, cwd);
}

/** Starts `npm <args>` (any README command) as its own OS process, with `env` over the test's environment. */
export function startNpm(args: string[], env: Record<string, string> = {}, cwd = REPO_ROOT): ScriptProcess {
  return startCommand(["npm", ...args], env, cwd);
}

/**
 * Starts `command` (an image's CMD, say) as its own OS process, with `env` over the test's environment;
 * `ownGroup` makes it the leader of a process group of its own, for a test that signals the whole group as
 * `timeout`, systemd and supervisors do (`process.kill(-child.pid, …)`); `stdin` gives it a pipe to type into
 * (`child.stdin`), for a console such as `npm run try`. A variable given as `undefined` is left out (the shield's
 * blank too), so the program reads it from its `.env`.
 */
export function startCommand(
  command: string[],
  env: Record<string, string | undefined>,
  cwd = REPO_ROOT,
  { ownGroup = false, stdin = false } = {},
): ScriptProcess {
  const [program, ...args] = command as [string, ...string[]];
  const script = command.join(" ");
  const shielded = Object.fromEntries(SHIELDED.map((name) => [name, ""]));
  const child = spawn(program, args, {
    cwd,
    env: { ...process.env, ...shielded, LOG_LEVEL: "info", ...env },
    stdio: [stdin ? "pipe" : "ignore", "pipe", "pipe"],
    detached: ownGroup,
  });
  let text = "";
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  let partial = "";
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    partial += chunk.toString();
    const complete = partial.split("\n");
    partial = complete.pop() ?? "";
    for (const raw of complete) {
      if (!raw.startsWith("{")) continue;
      try {
        lines.push(JSON.parse(raw) as LogLine);
      } catch {
        // not a log line
      }
    }
    for (const wake of waiters) wake();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  let ended = false;
  // "close", not "exit": by then stdout and stderr have been read to the end.
  const exited = once(child, "close").then(([code, signal]) => {
    ended = true;
    for (const wake of waiters) wake();
    return { code: code as number | null, signal: signal as string | null };
  });

  /** Resolves with what `found` finds in the output so far or still to come; fails once the process ended. */
  const waitUntil = <T>(found: () => T | undefined, what: string, timeoutMs = 90_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value !== undefined) return finish(() => resolve(value));
        if (ended) finish(() => reject(new Error(`${script} exited before ${what}:\n${text}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${script}: timed out waiting for ${what}:\n${text}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  const proc: ScriptProcess = {
    script,
    child,
    output: () => text,
    logs: () => lines,
    waitForLog: (match, what, timeoutMs) => waitUntil(() => lines.find(match), what, timeoutMs),
    waitForOutput: (pattern, what, timeoutMs) =>
      waitUntil(() => pattern.exec(text) ?? undefined, what, timeoutMs),
    appPid: () => lines.find((line) => typeof line.pid === "number")?.pid,
    async terminate(timeoutMs = 10_000) {
      const started = Date.now();
      if (!ended) child.kill("SIGTERM");
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        const pid = proc.appPid();
        if (pid !== undefined && isRunning(pid)) process.kill(pid, "SIGKILL");
      }, timeoutMs);
      const status = await exited;
      clearTimeout(timer);
      return { ...status, ms: Date.now() - started };
    },
    exited,
  };
  return proc;
}

/** Whether a process id still runs (an app orphaned by npm would). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `pid` has gone, or fails after `timeoutMs`; polling is the only way to watch a non-child. */
export async function waitGone(pid: number, timeoutMs = 10_000): Promise<void> {
  await waitFor(`process ${pid} to end`, () => !isRunning(pid), timeoutMs);
}
