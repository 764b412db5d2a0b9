/**
 * The figures behind docs/capacity.md, measured again: `node --import tsx bench/capacity.ts [--jobs 60]
 * [--at-once 4] [--size 1024x1024] [--partials 2]`. Starts a Redis of its own (so `INFO memory` counts this run
 * only), `npm run bot` and `npm run worker` as OS processes on the fake Discord and the fake OpenAI, runs the jobs
 * (`--at-once` of them at a time), and prints per job: the Redis keys each one leaves and their bytes
 * (`MEMORY USAGE`), how long they live, the bytes of its run folder (final, partials, metadata), the Discord
 * requests it made, and the worker's CPU and memory. The fake's images are real PNG bytes but not OpenAI's:
 * docs/capacity.md says how its table scales them.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import type { FakeInteraction } from "../test/fakes/discord/fake.js";
import buildWhenStale from "../test/helpers/build-when-stale.js";
import { startPrivateRedis } from "../test/helpers/private-redis.js";
import { waitFor } from "../test/helpers/wait-for.js";
import { type DiscordProcesses, startDiscordProcesses } from "../test/process/discord-processes.js";
import { cpuMs, peakRssMiB } from "./machine.js";

const { values } = parseArgs({
  options: {
    jobs: { type: "string", default: "60" },
    "at-once": { type: "string", default: "4" },
    size: { type: "string", default: "1024x1024" },
    partials: { type: "string", default: "2" },
    failed: { type: "string", default: "10" },
  },
});
const JOBS = Number(values.jobs);
const AT_ONCE = Number(values["at-once"]);
const SIZE = values.size;
const PARTIALS = Number(values.partials);
/** Jobs OpenAI refuses (moderation, at the output): BullMQ keeps a failed job 30 days, with no count cap. */
const FAILED = Number(values.failed);
/**
 * Between two streamed events of the fake OpenAI: real partials come seconds apart, so the bot shows each one;
 * without a gap the renderer would coalesce them and the run would count fewer edits than a real job makes.
 */
const EVENT_GAP_MS = 300;

const perJobOf = (value: number) => Math.round((value / JOBS) * 10) / 10;

/** A key's shape: its prefix, run ids, Discord snowflakes and other numbers replaced by names. */
function shapeOf(key: string, prefix: string): string {
  return key
    .slice(prefix.length)
    .replace(/\d{8}-\d{6}-[0-9a-f]{8}/g, "<run>")
    .replace(/\d{17,20}/g, "<id>")
    .replace(/[0-9a-f]{32}/g, "<hex>")
    .replace(/\b\d+\b/g, "<n>");
}

interface KeyShape {
  keys: number;
  bytes: number;
  /** Seconds left on one of them when measured; -1: kept until something removes it. */
  ttlSeconds: number;
}

/** Every key under `prefix`, grouped by shape, with the bytes Redis says each one holds. */
async function keysByShape(redis: Redis, prefix: string): Promise<Map<string, KeyShape>> {
  const shapes = new Map<string, KeyShape>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    for (const key of keys) {
      const bytes = Number(await redis.call("MEMORY", "USAGE", key, "SAMPLES", "0"));
      const shape = shapeOf(key, prefix);
      const known = shapes.get(shape);
      if (known) {
        known.keys++;
        known.bytes += bytes;
      } else {
        const ttl = await redis.pttl(key);
        shapes.set(shape, { keys: 1, bytes, ttlSeconds: ttl < 0 ? -1 : Math.round(ttl / 1000) });
      }
    }
  } while (cursor !== "0");
  return shapes;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
}

/** Bytes of every run folder's files, by kind, summed over the folders. */
async function storedBytes(dir: string): Promise<{ folders: number; bytes: Record<string, number> }> {
  const bytes: Record<string, number> = {};
  const folders = await readdir(dir);
  for (const folder of folders) {
    for (const name of await readdir(join(dir, folder), { recursive: true })) {
      const info = await stat(join(dir, folder, name));
      if (!info.isFile()) continue;
      const kind = name.startsWith("final_")
        ? "final"
        : name.startsWith("partial_")
          ? "partials"
          : name === "metadata.json"
            ? "metadata"
            : "other";
      bytes[kind] = (bytes[kind] ?? 0) + info.size;
    }
  }
  return { folders: folders.length, bytes };
}

/** The Redis bytes a refused job leaves, and in which of BullMQ's sets it ends (`failed` or `completed`). */
async function measureFailed(world: DiscordProcesses, redis: Redis) {
  const before = await keysByShape(redis, world.prefix);
  for (let i = 0; i < FAILED; i++) {
    world.openai.fail({ type: "moderation_blocked", stage: "output" });
    const interaction = await world.discord.slash("imagine", { prompt: `refused ${i}`, size: SIZE });
    await world.discord.waitFor(
      () => world.discord.original(interaction)?.content.startsWith("⚠️"),
      60_000,
      "the refusal",
    );
  }
  await waitFor("the refused jobs settled", async () => {
    const failed = await redis.zcard(`${world.prefix}:imagine:failed`);
    const completed = await redis.zcard(`${world.prefix}:imagine:completed`);
    return failed + completed >= JOBS + 1 + FAILED;
  });
  const after = await keysByShape(redis, world.prefix);
  const grew = (shape: string) =>
    Math.round(((after.get(shape)?.bytes ?? 0) - (before.get(shape)?.bytes ?? 0)) / FAILED);
  return {
    jobs: FAILED,
    jobHashBytesPerJob: grew(":imagine:<run>"),
    inFailedSet: await redis.zcard(`${world.prefix}:imagine:failed`),
  };
}

async function main(): Promise<void> {
  await buildWhenStale();
  const privateRedis = await startPrivateRedis({ appendOnly: false });
  const redis = new Redis(privateRedis.url);
  const world = await startDiscordProcesses(
    "capacity",
    {
      REDIS_URL: privateRedis.url,
      WORKER_CONCURRENCY: String(AT_ONCE),
      // One fake person asks for every job: no cap on how many of theirs run at once.
      USER_MAX_ACTIVE_JOBS: "0",
    },
    { latencyMs: EVENT_GAP_MS },
  );
  try {
    const bot = world.run("bot");
    const worker = world.run("worker");
    await bot.waitForLog((line) => line.msg === "imagine-bot running", "the bot");
    await worker.waitForLog((line) => line.msg === "imagine-bot running", "the worker");
    await world.discord.waitForBot();
    const workerPid = worker.appPid();
    if (workerPid === undefined) throw new Error("the worker logged no pid");

    // One job first, not counted: the first of everything (connections, scripts, sharp) is not a job's cost.
    await world.finalReply(await world.discord.slash("imagine", { prompt: "warm-up", size: SIZE }));
    const before = await keysByShape(redis, world.prefix);
    const memoryBefore = await usedMemory(redis);
    const eventsBefore = await redis.xlen(`${world.prefix}:imagine:events`);
    const storedBefore = await storedBytes(world.storageDir);
    const requestsBefore = world.discord.requests.length;
    const cpuBefore = await cpuMs(workerPid);
    const interactions: FakeInteraction[] = [];
    for (let wave = 0; wave < JOBS; wave += AT_ONCE) {
      const asked: FakeInteraction[] = [];
      for (let i = wave; i < Math.min(JOBS, wave + AT_ONCE); i++)
        asked.push(
          await world.discord.slash("imagine", { prompt: `capacity ${i}`, size: SIZE, partials: PARTIALS }),
        );
      await Promise.all(asked.map((interaction) => world.finalReply(interaction)));
      interactions.push(...asked);
    }
    const workerCpuMs = (await cpuMs(workerPid)) - cpuBefore;
    const after = await keysByShape(redis, world.prefix);
    const memoryAfter = await usedMemory(redis);
    // BullMQ trims its events stream to a length, not an age: its bytes are capped at that length's.
    const eventsPerJob = perJobOf((await redis.xlen(`${world.prefix}:imagine:events`)) - eventsBefore);
    const stored = await storedBytes(world.storageDir);

    const shapes = [...after].map(([shape, now]) => {
      const was = before.get(shape) ?? { keys: 0, bytes: 0 };
      return {
        shape,
        keysPerJob: perJobOf(now.keys - was.keys),
        bytesPerJob: perJobOf(now.bytes - was.bytes),
        ttlSeconds: now.ttlSeconds,
      };
    });
    const requests = world.discord.requests.slice(requestsBefore);
    const byRoute = new Map<string, number>();
    for (const request of requests) {
      const route = `${request.method} ${request.path
        .replace(/\/webhooks\/\d+\/[^/]+/, "/webhooks/<app>/<token>")
        .replace(/\/interactions\/\d+\/[^/]+/, "/interactions/<id>/<token>")
        .replace(/\d{17,20}/g, "<id>")}`;
      byRoute.set(route, (byRoute.get(route) ?? 0) + 1);
    }
    const storedPerJob = Object.fromEntries(
      Object.entries(stored.bytes).map(([kind, bytes]) => [
        kind,
        perJobOf(bytes - (storedBefore.bytes[kind] ?? 0)),
      ]),
    );
    const report = {
      jobs: JOBS,
      atOnce: AT_ONCE,
      size: SIZE,
      partials: PARTIALS,
      redis: {
        usedMemoryBytesPerJob: perJobOf(memoryAfter - memoryBefore),
        eventsPerJob,
        // The person's run lists, capped per person (`src/stores/run-index.ts`): bytes per person, not per job.
        runIndexBytesOfOnePerson: [...after]
          .filter(([shape]) => shape.startsWith(":runs"))
          .reduce((sum, [, shape]) => sum + shape.bytes, 0),
        keysPerJob: shapes.filter((shape) => shape.keysPerJob !== 0 || shape.bytesPerJob !== 0),
      },
      storedBytesPerJob: storedPerJob,
      runFolders: stored.folders - storedBefore.folders,
      discord: {
        requestsPerJob: perJobOf(requests.length),
        rateLimited: requests.filter((request) => request.status === 429).length,
        byRoutePerJob: Object.fromEntries([...byRoute].map(([route, count]) => [route, perJobOf(count)])),
      },
      worker: {
        cpuMsPerJob: perJobOf(workerCpuMs),
        peakRssMiB: Math.round(await peakRssMiB(workerPid)),
        concurrency: AT_ONCE,
      },
    };
    console.log(JSON.stringify({ ...report, failedJobs: await measureFailed(world, redis) }, null, 2));
    if (interactions.length !== JOBS) throw new Error("not every job was measured");
  } finally {
    await world.close();
    redis.disconnect();
    await privateRedis.stop();
  }
}

await main();
