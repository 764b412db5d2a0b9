import { randomUUID } from "node:crypto";
import { type Job, type JobsOptions, Worker } from "bullmq";
import type { JobResult, JobSpec } from "../core/job-spec.js";
import { queueKeyPrefix, type RedisClient } from "../core/redis-slots.js";
import type { Logger } from "../logger.js";
import { createImagineQueue, type ImagineQueue } from "./imagine-queue.js";
import { LEGACY_QUEUE, PLATFORM_REPLY_KINDS, queueNameFor } from "./platform-queues.js";

/**
 * The upgrade from one shared queue (`imagine`) to a queue per platform. Every worker process moves what waits
 * in the old queue (waiting, prioritized, delayed for a retry) to its platform's queue, with the same job id
 * (the run id), data and attempts left, and a delayed job keeps its due time. Jobs running in the old queue stay
 * with the old worker that runs them (it finishes them, or retries them into the old queue's delayed set, from
 * where the next pass moves them); one whose worker died is found stalled by `sweepLegacyQueue` and moved too.
 */

/** One pass at a time across every process: two workers starting together move each job once. */
const LOCK_MS = 30_000;
/** Taken out of the old queue, not yet added to the new one: a pass cut short is finished by the next. */
const movingKey = (prefix: string) => `${prefix}:${LEGACY_QUEUE}:moving`;
const lockKey = (prefix: string) => `${prefix}:${LEGACY_QUEUE}:move-lock`;
/** BullMQ scores a delayed job by its due time in ms times 0x1000 (plus a counter below that). */
const DELAYED_SCORE_UNIT = 0x1000;

const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

interface Move {
  queueName: string;
  name: string;
  data: JobSpec;
  opts: JobsOptions;
}

/** States of a job no worker holds: it can be taken out of the old queue. */
const NOT_RUNNING = ["waiting", "prioritized", "delayed"] as const;

/**
 * Moves every job no worker holds from the old queue to its platform's queue. Safe to run from any number of
 * processes at once (one pass holds the lock; the others return 0) and again after a crash at any point: a job
 * is recorded before it is taken out of the old queue, and adding a job id that exists adds nothing.
 * @returns how many jobs were moved.
 */
export async function moveLegacyJobs(
  connection: RedisClient,
  prefix: string,
  logger: Logger,
): Promise<number> {
  const token = randomUUID();
  if ((await connection.set(lockKey(prefix), token, "PX", LOCK_MS, "NX")) !== "OK") return 0;
  const legacy = createImagineQueue(connection, prefix, LEGACY_QUEUE);
  const targets = new Map<string, ImagineQueue>();
  const target = (queueName: string) => {
    const queue = targets.get(queueName) ?? createImagineQueue(connection, prefix, queueName);
    targets.set(queueName, queue);
    return queue;
  };
  try {
    await finishInterruptedMoves(connection, prefix, target);
    const jobs = await legacy.getJobs([...NOT_RUNNING], 0, -1, true);
    let moved = 0;
    for (const job of jobs) {
      if (await moveJob(connection, prefix, legacy, job, target, logger)) moved++;
      await connection.pexpire(lockKey(prefix), LOCK_MS);
    }
    if (moved > 0) logger.info({ moved }, "jobs moved from the old shared queue to their platform's queue");
    return moved;
  } finally {
    await connection.eval(RELEASE_LOCK, 1, lockKey(prefix), token);
    await Promise.all([legacy, ...targets.values()].map((queue) => queue.close()));
  }
}

async function finishInterruptedMoves(
  connection: RedisClient,
  prefix: string,
  target: (queueName: string) => ImagineQueue,
): Promise<void> {
  const pending = await connection.hgetall(movingKey(prefix));
  for (const [runId, text] of Object.entries(pending)) {
    const move = JSON.parse(text) as Move;
    await target(move.queueName).add(move.name, move.data, move.opts);
    await connection.hdel(movingKey(prefix), runId);
  }
}

async function moveJob(
  connection: RedisClient,
  prefix: string,
  legacy: ImagineQueue,
  job: Job<JobSpec, JobResult>,
  target: (queueName: string) => ImagineQueue,
  logger: Logger,
): Promise<boolean> {
  const kind: unknown = job.data?.reply?.kind;
  if (job.id === undefined || !PLATFORM_REPLY_KINDS.some((known) => known === kind)) {
    logger.warn({ jobId: job.id, kind }, "a job in the old shared queue has no platform queue: left there");
    return false;
  }
  const move: Move = {
    queueName: queueNameFor(String(kind)),
    name: job.name,
    data: job.data,
    opts: {
      jobId: job.id,
      attempts: Math.max(1, (job.opts.attempts ?? 1) - job.attemptsMade),
      ...(job.opts.backoff === undefined ? {} : { backoff: job.opts.backoff }),
      ...(job.opts.priority ? { priority: job.opts.priority } : {}),
      ...(await dueIn(connection, legacy, job.id)),
    },
  };
  await connection.hset(movingKey(prefix), job.id, JSON.stringify(move));
  // Fails when a worker of the old version took the job meanwhile (it is locked): it runs there, once.
  const removed = await job.remove().then(
    () => true,
    () => false,
  );
  if (removed) await target(move.queueName).add(move.name, move.data, move.opts);
  await connection.hdel(movingKey(prefix), job.id);
  return removed;
}

/** A delayed job's time left, read from the delayed set's score. */
async function dueIn(
  connection: RedisClient,
  legacy: ImagineQueue,
  jobId: string,
): Promise<{ delay?: number }> {
  const score = await connection.zscore(legacy.keys.delayed ?? "", jobId);
  if (score === null) return {};
  const delay = Math.floor(Number(score) / DELAYED_SCORE_UNIT) - Date.now();
  return delay > 0 ? { delay } : {};
}

export interface LegacySweep {
  close(): Promise<void>;
}

/**
 * While the old queue holds jobs, a worker process moves them every `everyMs` and checks the old queue for
 * stalled jobs (a job whose old worker died goes back to waiting, and is then moved). Stops by itself once the
 * old queue is empty; nothing runs for an installation that never had it.
 */
export async function sweepLegacyQueue(options: {
  connection: RedisClient;
  prefix: string;
  logger: Logger;
  everyMs?: number;
  stalledIntervalMs?: number;
}): Promise<LegacySweep> {
  const { connection, prefix, logger, everyMs = 30_000 } = options;
  await moveLegacyJobs(connection, prefix, logger);
  if (await legacyEmpty(connection, prefix)) return { close: async () => {} };
  // No processor and never run: only BullMQ's stalled check, with the lock times the old workers used.
  const stalledCheck = new Worker(LEGACY_QUEUE, null, {
    connection,
    prefix: queueKeyPrefix(connection, prefix),
    autorun: false,
    stalledInterval: options.stalledIntervalMs ?? 10_000,
    maxStalledCount: 1,
  });
  stalledCheck.on("error", (error) => logger.warn({ err: error }, "old queue's stalled check failed"));
  void stalledCheck.startStalledCheckTimer();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const stop = async () => {
    stopped = true;
    clearTimeout(timer);
    await stalledCheck.close();
  };
  const pass = async () => {
    await moveLegacyJobs(connection, prefix, logger).catch((error: unknown) =>
      logger.warn({ err: error }, "moving the old queue's jobs failed; trying again"),
    );
    if (await legacyEmpty(connection, prefix).catch(() => false)) await stop();
    else if (!stopped) timer = setTimeout(pass, everyMs);
  };
  timer = setTimeout(pass, everyMs);
  return { close: stop };
}

async function legacyEmpty(connection: RedisClient, prefix: string): Promise<boolean> {
  const legacy = createImagineQueue(connection, prefix, LEGACY_QUEUE);
  try {
    const counts = await legacy.getJobCounts(...NOT_RUNNING, "active");
    return Object.values(counts).every((count) => count === 0);
  } finally {
    await legacy.close();
  }
}
