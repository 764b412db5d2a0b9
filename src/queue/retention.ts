import { Queue, Worker } from "bullmq";
import pLimit from "p-limit";
import { queueKeyPrefix, type RedisClient } from "../core/redis-slots.js";
import { isRunId, runStartedAt } from "../core/run-id.js";
import type { Logger } from "../logger.js";
import type { RunStore } from "../storage/run-store.js";

/** Its own queue: a sweep never waits behind image jobs, nor takes one of their slots. */
export const MAINTENANCE_QUEUE = "maintenance";
const SCHEDULER_ID = "run-retention";
/** Often enough that nothing outlives its day by much; each sweep only lists folder names. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** Folders removed at once: enough to keep up, few enough to leave the store to the jobs. */
const REMOVING_AT_ONCE = 4;

/**
 * Removes every run folder that started before `cutoff`: inputs, partials, finals and metadata. Folders that
 * are not runs (the readiness probe's, the CLI's try-outs) are left alone. Answers what was removed.
 */
export async function removeRunsBefore(runs: RunStore, cutoff: Date): Promise<string[]> {
  const old = (await runs.blobs.listFolders()).filter(
    (name) => isRunId(name) && runStartedAt(name).getTime() < cutoff.getTime(),
  );
  const removing = pLimit(REMOVING_AT_ONCE);
  await Promise.all(old.map((runId) => removing(() => runs.remove(runId))));
  return old;
}

export interface RunRetention {
  close(): Promise<void>;
}

/**
 * RUN_RETENTION_DAYS as a repeatable BullMQ job: every worker process keeps the schedule (upserting it is
 * idempotent) and runs the sweep, and BullMQ gives each hour's sweep to one of them.
 */
export async function startRunRetention(options: {
  connection: RedisClient;
  prefix: string;
  runs: RunStore;
  days: number;
  logger: Logger;
}): Promise<RunRetention> {
  const { connection, prefix, runs, days, logger } = options;
  const keys = { connection, prefix: queueKeyPrefix(connection, prefix) };
  const queue = new Queue(MAINTENANCE_QUEUE, keys);
  await queue.upsertJobScheduler(
    SCHEDULER_ID,
    { every: SWEEP_EVERY_MS },
    { name: "remove-old-runs", opts: { removeOnComplete: 24, removeOnFail: 24 } },
  );
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async () => {
      const cutoff = new Date(Date.now() - days * 24 * 3600 * 1000);
      const removed = await removeRunsBefore(runs, cutoff);
      if (removed.length > 0) logger.info({ removed: removed.length, cutoff }, "old run folders removed");
      return { removed: removed.length };
    },
    { ...keys, concurrency: 1 },
  );
  worker.on("failed", (_job, error) => logger.warn({ err: error }, "removing old run folders failed"));
  worker.on("error", (error) => logger.error({ err: error }, "retention worker error"));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
