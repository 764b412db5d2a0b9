import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningProcess, startProcess } from "../../src/app/process.js";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/types.js";
import { createLogger } from "../../src/logger.js";
import { slackPlatform } from "../../src/platforms/slack/index.js";
import type { SlackPlatformOptions } from "../../src/platforms/slack/options.js";
import { createImagineQueue } from "../../src/queue/imagine-queue.js";
import { queueNameFor } from "../../src/queue/platform-queues.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { SlackDriver } from "../fakes/slack/driver.js";
import {
  BOT,
  type FakeSlack,
  type FakeSlackOptions,
  startFakeSlack,
  type UserFile,
} from "../fakes/slack/server.js";
import { queueIdle } from "../helpers/queue-idle.js";
import { baseTestEnv, deleteKeys, testRedis, uniquePrefix } from "../helpers/redis.js";

export const SIGNING_SECRET = "fake-signing-secret";
export const CHANNEL = "C0FAKECHAN1";
export const USER = "U0FAKEUSER1";

/**
 * The Slack bot as production runs it — real Bolt in HTTP mode, a real worker on BullMQ and Redis, the real
 * engine — against the fake OpenAI and the fake Slack, with a driver that plays Slack's signed requests.
 */
export interface SlackHarness {
  openai: FakeOpenAI;
  slack: FakeSlack;
  driver: SlackDriver;
  config: Config;
  process: RunningProcess;
  /** What the bot logged at warn level and above, parsed (pino's JSON lines), oldest first. */
  logs: LogRecord[];
  /** Stops the bot process and starts a new one on the same Redis, storage and port. */
  restart(): Promise<void>;
  /** Starts a separate worker process (for a harness started with `processMode` "bot"). */
  startWorker(): Promise<void>;
  /** Resolves once every job has finished (see {@link queueIdle}); call it before resetting the fakes. */
  idle(): Promise<void>;
  /**
   * Between tests: waits until every job has finished, then clears the fakes' records, so that what an
   * earlier test's jobs still do (a frame deleted after the result) never lands in the next one's.
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** One pino line: `level` (40 warn, 50 error), `msg`, and `err` when an error was logged with it. */
export type LogRecord = { level: number; msg: string; err?: { type?: string; message?: string } } & Record<
  string,
  unknown
>;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const FAST: SlackPlatformOptions = {
  minEditIntervalMs: 20,
  filePollIntervalMs: 20,
  fileReadyTimeoutMs: 5_000,
};

/** How to start a {@link SlackHarness}; every field may be left out. */
export interface SlackHarnessOptions {
  /** The fake Slack's behaviour (files ready after 60 ms unless said otherwise). */
  fake?: FakeSlackOptions;
  /** The bot's Slack timings, on top of {@link FAST}. */
  platform?: SlackPlatformOptions;
  /** HTTP (signed requests to the bot's port) or Socket Mode (envelopes over the fake's socket). */
  mode?: "http" | "socket";
  /** "all" runs the worker in the bot process; "bot" leaves it to {@link SlackHarness.startWorker}. */
  processMode?: "all" | "bot";
  /** Environment variables on top of the test defaults (e.g. `USER_MAX_ACTIVE_JOBS`). */
  env?: Record<string, string>;
  /** The lowest level `logs` keeps (default "warn"); "trace" keeps every line, Bolt's debug lines among them. */
  logLevel?: string;
}

export async function startSlackHarness(
  label: string,
  {
    fake = {},
    platform: platformOptions = {},
    mode = "http",
    processMode = "all",
    env = {},
    logLevel = "warn",
  }: SlackHarnessOptions = {},
): Promise<SlackHarness> {
  const openai = await startFakeOpenAI();
  const slack = await startFakeSlack({ fileReadyDelayMs: 60, ...fake });
  const prefix = uniquePrefix(label);
  const storageDir = await mkdtemp(join(tmpdir(), `imagine-${label}-`));
  const port = await freePort();
  const config = loadConfig({
    ...baseTestEnv(openai.url, prefix, storageDir),
    SLACK_BOT_TOKEN: "xoxb-fake",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_PORT: String(port),
    ...(mode === "socket" ? { SLACK_APP_TOKEN: "xapp-fake" } : {}),
    SLACK_API_URL: slack.apiUrl,
    ...env,
  });
  const slackConfig = config.slack;
  if (!slackConfig) throw new Error("slack config missing");
  const logs: LogRecord[] = [];
  // Warnings and errors are kept in memory for the tests to read; nothing reaches the terminal.
  const logger = createLogger(logLevel, {
    write: (line: string) => {
      logs.push(JSON.parse(line) as LogRecord);
    },
  });
  const platform = () => slackPlatform(slackConfig, { ...FAST, ...platformOptions });
  const workers: RunningProcess[] = [];
  const harness: SlackHarness = {
    openai,
    slack,
    driver: new SlackDriver(
      mode === "socket"
        ? { socket: slack.socket, responseUrl: slack.responseUrl }
        : {
            url: `http://127.0.0.1:${port}/slack/events`,
            signingSecret: SIGNING_SECRET,
            responseUrl: slack.responseUrl,
          },
    ),
    config,
    process: await startProcess(config, [platform()], processMode, logger),
    logs,
    async restart() {
      await harness.process.stop();
      harness.process = await startProcess(config, [platform()], processMode, logger);
    },
    async startWorker() {
      workers.push(await startProcess(config, [platform()], "worker", logger));
    },
    idle: () => queueIdle(harness.process.context.queues),
    async reset() {
      await harness.idle();
      openai.reset();
      slack.reset();
    },
    async close() {
      await harness.process.stop();
      for (const worker of workers) await worker.stop();
      const redis = testRedis();
      const queue = createImagineQueue(redis, prefix, queueNameFor("slack"));
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await openai.close();
      await slack.close();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * A person's message that mentions the bot (a reply in `threadTs` when given), posted to the fake and delivered
 * as Slack delivers it (`app_mention`); returns the event, to send it again as a retry, and the receiver's answer.
 */
export async function mentionBot(
  slack: FakeSlack,
  driver: SlackDriver,
  input: { text: string; threadTs?: string; files?: UserFile[] },
) {
  const posted = slack.postAsUser({
    channel: CHANNEL,
    user: USER,
    text: `<@${BOT.user_id}> ${input.text}`,
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    files: input.files ?? [],
  });
  const event = {
    type: "app_mention",
    user: USER,
    text: posted.text,
    ts: posted.ts,
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    channel: CHANNEL,
    ...(posted.files.length ? { files: posted.files } : {}),
  };
  return { event, reply: await driver.event(event) };
}
