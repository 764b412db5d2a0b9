import { userInfo } from "node:os";
import { join, resolve } from "node:path";
import { HISTORY_LENGTH, historyEntries } from "../command-handlers/history-entries.js";
import type { Config } from "../config/types.js";
import { userError } from "../core/errors.js";
import { plural } from "../core/plural.js";
import { connectRedis, createRedisConnection, redisAddress } from "../queue/connection.js";
import { LocalBlobStore } from "../storage/blob-store.js";
import { RunStore } from "../storage/run-store.js";
import { RunIndex } from "../stores/run-index.js";
import { probeRedis } from "./redis-probe.js";

/**
 * `npm run -s imagine -- history [--out <folder>]`: this machine user's last runs made through the queue,
 * newest first: job id, when, prompt, and the stored finals' paths. Runs made without Redis were never listed.
 * @throws `UserError` `history_needs_redis` when no Redis answers: the list lives there.
 */
export async function historyText(config: Config, out: string | undefined): Promise<string> {
  const probe = await probeRedis(config);
  if (!probe.ok)
    throw userError("history_needs_redis", { redis: redisAddress(config), reason: probe.reason });
  const dir = resolve(out ?? config.storageDir);
  const redis = await connectRedis(createRedisConnection(config, "producer"), config);
  try {
    const index = new RunIndex(redis, config.queuePrefix);
    const runs = new RunStore(new LocalBlobStore(dir));
    const owner = { platform: "cli", id: userInfo().username };
    const entries = await historyEntries({ runs, index }, owner, { prune: false });
    if (entries.length === 0) {
      return `No runs of yours in ${dir} yet: npm run imagine -- "a prompt" makes one.`;
    }
    const lines = [
      `Your last ${plural(Math.min(entries.length, HISTORY_LENGTH), "run")} in ${dir}, newest first:`,
    ];
    for (const entry of entries) {
      lines.push("", `job ${entry.jobId}  ${entry.startedAt.toISOString()}  ${entry.prompt}`);
      lines.push(...entry.finals.map((key) => `  image: ${join(dir, key)}`));
    }
    return lines.join("\n");
  } finally {
    redis.disconnect();
  }
}
