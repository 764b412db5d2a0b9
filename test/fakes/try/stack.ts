import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { processEnvironment } from "../../../src/config/load.js";
import buildWhenStale from "../../helpers/build-when-stale.js";
import { type PrivateRedis, redisAnswers, startPrivateRedis } from "../../helpers/private-redis.js";
import { deleteKeys } from "../../helpers/redis.js";
import { type ScriptProcess, startCommand } from "../../process/npm-process.js";
import { type FakeOpenAI, startFakeOpenAI } from "../openai/server.js";

/** The bot's REDIS_URL when neither the environment nor `.env` sets one. */
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** Said when no Redis answers and none can be started here: what to do, in one sentence. */
export class TryStartRefusal extends Error {}

/** What every platform's try-out runs beside its fake: Redis, the fake OpenAI, and the bot's settings. */
export interface TryStack {
  openai: FakeOpenAI;
  redisUrl: string;
  /** Whether `redisUrl` is a Redis the try-out started (and stops). */
  privateRedis: boolean;
  /** `npm start` with the fakes' variables over the stack's own (Redis, prefix, storage). */
  startBot(variables: Record<string, string>): ScriptProcess;
  bot: ScriptProcess | undefined;
  stop(): Promise<void>;
}

/** The Redis on REDIS_URL (environment or `.env`) when it answers, else a private `redis-server` on a free port. */
async function findRedis(say: (line: string) => void): Promise<{ url: string; own?: PrivateRedis }> {
  const url = processEnvironment().REDIS_URL?.trim() || DEFAULT_REDIS_URL;
  if (await redisAnswers(url)) return { url };
  if (spawnSync("redis-server", ["--version"]).error !== undefined) {
    throw new TryStartRefusal(
      `No Redis answers on ${url.replace(/\/\/[^@/]*@/, "//…@")} and redis-server is not installed: install it ` +
        "(apt-get install redis-server, brew install redis), or start one (docker run -p 6379:6379 redis:7), " +
        "or set REDIS_URL to one that runs.",
    );
  }
  const own = await startPrivateRedis({ appendOnly: false });
  say(`No Redis answers on ${url}: started a private one on ${own.url} (stopped on exit).`);
  return { url: own.url, own };
}

/**
 * Builds `dist/` when stale, finds or starts Redis, starts the fake OpenAI (each streamed event `latencyMs`
 * late, so the stages can be watched), and readies the bot's environment: keys under a prefix of its own and a
 * storage folder of its own, both removed on `stop`.
 */
export async function startTryStack(latencyMs: number, say: (line: string) => void): Promise<TryStack> {
  say("Building the bot when dist/ is older than the sources…");
  await buildWhenStale();
  const redis = await findRedis(say);
  const openai = await startFakeOpenAI({ latencyMs });
  // Keys of its own on a shared Redis, removed on stop.
  const prefix = `imagine-try-${randomBytes(4).toString("hex")}`;
  const storageDir = await mkdtemp(join(tmpdir(), "imagine-try-runs-"));
  const stack: TryStack = {
    openai,
    redisUrl: redis.url,
    privateRedis: redis.own !== undefined,
    bot: undefined,
    startBot(variables) {
      // Its own process group: a Ctrl-C in the terminal reaches the try-out, which stops the bot in order.
      stack.bot = startCommand(
        ["npm", "start"],
        {
          OPENAI_API_KEY: "sk-fake",
          OPENAI_BASE_URL: openai.url,
          REDIS_URL: redis.url,
          QUEUE_PREFIX: prefix,
          STORAGE_DIR: storageDir,
          HTTP_PORT: "0",
          // The fake OpenAI has no usage tier: the default of 5 images a minute would hold the sixth try a minute.
          OPENAI_IMAGES_PER_MINUTE: "0",
          ...variables,
        },
        undefined,
        { ownGroup: true },
      );
      return stack.bot;
    },
    async stop() {
      await stack.bot?.terminate(8_000);
      await openai.close();
      if (redis.own) await redis.own.stop();
      else {
        const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
        client.on("error", () => undefined);
        await deleteKeys(client, prefix).catch(() => undefined);
        client.disconnect();
      }
      await rm(storageDir, { recursive: true, force: true });
    },
  };
  return stack;
}
