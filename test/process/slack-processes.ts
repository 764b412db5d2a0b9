import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { type ScriptProcess, startScript } from "./scripts.js";

/** The fake Slack's channel and person, as its Socket Mode driver sends them. */
export const CHANNEL = "C0FAKECHAN1";
export const USER = "U0FAKEUSER1";

/**
 * The fakes and the environment for `npm run bot` / `npm run worker` processes on Slack's Socket Mode, with
 * only Redis and the storage folder between the processes.
 */
export interface SlackProcesses {
  openai: FakeOpenAI;
  slack: FakeSlack;
  prefix: string;
  storageDir: string;
  env: Record<string, string>;
  /** Starts `npm run <script>`; `close` terminates whatever is still running. */
  run(script: string): ScriptProcess;
  /** Resolves once the process logs that it runs. */
  running(proc: ScriptProcess): Promise<unknown>;
  close(): Promise<void>;
}

export async function startSlackProcesses(
  label: string,
  env: Record<string, string>,
): Promise<SlackProcesses> {
  const openai = await startFakeOpenAI();
  const slack = await startFakeSlack({ fileReadyDelayMs: 60 });
  const prefix = uniquePrefix(label);
  const storageDir = await mkdtemp(join(tmpdir(), `imagine-${label}-`));
  const fullEnv = {
    ...baseTestEnv(openai.url, prefix, storageDir),
    SLACK_BOT_TOKEN: "xoxb-fake",
    SLACK_API_URL: slack.apiUrl,
    SLACK_APP_TOKEN: "xapp-fake",
    ...env,
  };
  const started: ScriptProcess[] = [];
  return {
    openai,
    slack,
    prefix,
    storageDir,
    env: fullEnv,
    run(script) {
      const proc = startScript(script, fullEnv);
      started.push(proc);
      return proc;
    },
    running: (proc) =>
      proc.waitForLog((line) => line.msg === "imagine-bot running", `${proc.script} to start`),
    async close() {
      for (const proc of started) await proc.terminate(3_000);
      await Promise.all([openai.close(), slack.close()]);
      await dropPrefix(prefix);
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
