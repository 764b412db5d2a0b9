import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { SlackDriver } from "../fakes/slack/driver.js";
import {
  type FakeMessage,
  type FakeSlack,
  type FakeSlackOptions,
  startFakeSlack,
} from "../fakes/slack/server.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { type ScriptProcess, startScript } from "./npm-process.js";

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
  /** Sends what a person does in Slack (slash commands, clicks) through the fake's Socket Mode. */
  driver: SlackDriver;
  /** `npm run bot` and `npm run worker`, once both run and the bot's socket is connected. */
  startBotAndWorker(): Promise<{ gateway: ScriptProcess; worker: ScriptProcess }>;
  /** The bot's status message once it shows a frame (of the job whose prompt it names): its stream is open. */
  firstFrame(prompt?: string): Promise<FakeMessage>;
  close(): Promise<void>;
}

export async function startSlackProcesses(
  label: string,
  env: Record<string, string>,
  /** Over the default: uploads ready 60 ms after they complete, as Slack takes a moment to process a file. */
  slackOptions: FakeSlackOptions = {},
): Promise<SlackProcesses> {
  const openai = await startFakeOpenAI();
  const slack = await startFakeSlack({ fileReadyDelayMs: 60, ...slackOptions });
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
  const world: SlackProcesses = {
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
    driver: new SlackDriver({ socket: slack.socket, responseUrl: slack.responseUrl }),
    async startBotAndWorker() {
      const gateway = world.run("bot");
      const worker = world.run("worker");
      await Promise.all([world.running(gateway), world.running(worker)]);
      await slack.socket.connected();
      return { gateway, worker };
    },
    firstFrame: (prompt) =>
      waitFor(
        prompt ? `the first frame of "${prompt}"` : "the first frame",
        () =>
          slack.messages.find(
            (m) =>
              m.bot_id !== undefined &&
              (prompt === undefined || m.text.includes(prompt)) &&
              JSON.stringify(m.blocks ?? []).includes("Work in progress"),
          ),
        60_000,
      ),
    async close() {
      for (const proc of started) await proc.terminate(3_000);
      await Promise.all([openai.close(), slack.close()]);
      await dropPrefix(prefix);
      await rm(storageDir, { recursive: true, force: true });
    },
  };
  return world;
}
