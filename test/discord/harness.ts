import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { type RunningProcess, startProcess } from "../../src/app/process.js";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/types.js";
import { createLogger } from "../../src/logger.js";
import { discordPlatform } from "../../src/platforms/discord/index.js";
import type { Platform } from "../../src/platforms/platform.js";
import {
  type FakeDiscord,
  type FakeInteraction,
  type FakeMessage,
  startFakeDiscord,
} from "../fakes/discord/fake.js";
import type { FakeDiscordServerOptions } from "../fakes/discord/server.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { showsResult } from "../helpers/discord-result.js";
import { queueIdle } from "../helpers/queue-idle.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";

/** A whole job, from the command to the result on the screen, on a loaded machine. */
const JOB_TIMEOUT_MS = 20_000;

/**
 * The whole bot as `npm start` runs it — the real discord.js client on the gateway, a real BullMQ worker on
 * the real Redis, the engine against the fake OpenAI — talking to the fake Discord.
 */
export interface DiscordBot {
  discord: FakeDiscord;
  openai: FakeOpenAI;
  config: Config;
  running: RunningProcess;
  storageDir: string;
  /** What the bot logged at warn level and above (or `logLevel`), parsed (pino's JSON lines), oldest first. */
  logs: LogRecord[];
  /** Stops the bot process and starts a new one on the same Redis and storage (a restart). */
  restart(): Promise<void>;
  /** Resolves once every job has finished (see {@link queueIdle}); call it before resetting the fakes. */
  idle(): Promise<void>;
  /**
   * Between tests: waits until every job has finished, then clears the fake OpenAI's records, so that what an
   * earlier test's jobs still do never lands in the next one's.
   */
  reset(): Promise<void>;
  /** The interaction's reply once it shows the final result (the result buttons are there). */
  finalReply(interaction: FakeInteraction, timeoutMs?: number): Promise<FakeMessage>;
  close(): Promise<void>;
}

/** One pino line: `level` (40 warn, 50 error), `msg`, and `err` when an error was logged with it. */
export type LogRecord = { level: number; msg: string; err?: { type?: string; message?: string } } & Record<
  string,
  unknown
>;

export async function startDiscordBot(
  label: string,
  options: {
    /** On top of the test defaults; a function gets the fake first (its ids, roles added before the bot connects). */
    env?: Record<string, string> | ((discord: FakeDiscord) => Record<string, string>);
    fake?: FakeDiscordServerOptions;
    latencyMs?: number;
    /** The lowest level `logs` keeps (default "warn"); "trace" keeps every line the bot writes. */
    logLevel?: string;
    /** More platforms in the same process (the web studio), made from the loaded configuration. */
    alongside?: (config: Config, storageDir: string) => Platform[];
  } = {},
): Promise<DiscordBot> {
  const discord = await startFakeDiscord(options.fake);
  const openai = await startFakeOpenAI({ latencyMs: options.latencyMs ?? 0 });
  const prefix = uniquePrefix(label);
  const storageDir = await mkdtemp(join(tmpdir(), `imagine-${label}-`));
  const config = loadConfig({
    ...baseTestEnv(openai.url, prefix, storageDir),
    LOG_LEVEL: "silent",
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.url,
    ...(typeof options.env === "function" ? options.env(discord) : options.env),
  });
  const discordConfig = config.discord;
  if (discordConfig === undefined) throw new Error("DISCORD_TOKEN missing");
  const logs: LogRecord[] = [];
  // Warnings and errors are kept in memory for the tests to read; nothing reaches the terminal.
  const logger = createLogger(options.logLevel ?? "warn", {
    write: (line: string) => {
      logs.push(JSON.parse(line) as LogRecord);
    },
  });
  const platforms = [discordPlatform(discordConfig), ...(options.alongside?.(config, storageDir) ?? [])];
  const start = () => startProcess(config, platforms, "all", logger);
  const bot: DiscordBot = {
    discord,
    openai,
    config,
    running: await start(),
    storageDir,
    logs,
    async restart() {
      await bot.running.stop();
      bot.running = await start();
    },
    idle: () => queueIdle(bot.running.context.queues),
    async reset() {
      await bot.idle();
      bot.openai.reset();
    },
    finalReply: (interaction, timeoutMs = JOB_TIMEOUT_MS) =>
      waitFor(
        "the final reply",
        () => {
          const message = discord.original(interaction);
          // A failure shown instead is not worth waiting out: say what it was.
          if (message?.content.startsWith("⚠️"))
            throw new Error(`the reply shows a failure: ${message.content}`);
          return message && showsResult(message) ? message : undefined;
        },
        timeoutMs,
      ),
    async close() {
      await bot.running.stop();
      await dropPrefix(prefix);
      await discord.close();
      await openai.close();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
  return bot;
}

/** The bot's own reply to a person's message (edit by reply, thread turns), once it shows a result. */
export function botReplyTo(
  bot: DiscordBot,
  message: FakeMessage,
  timeoutMs = JOB_TIMEOUT_MS,
): Promise<FakeMessage> {
  return waitFor(
    "the bot's reply",
    () =>
      [...bot.discord.world.messages.values()].find(
        (candidate) =>
          candidate.author.id === bot.discord.botUser.id &&
          candidate.message_reference?.message_id === message.id &&
          (showsResult(candidate) || candidate.content.startsWith("⚠️")),
      ),
    timeoutMs,
  );
}

/** A solid PNG, a valid edit input. */
export function solidPng(width: number, height: number, colour: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}
