import { isMainThread } from "node:worker_threads";
import { Relay } from "bullmq";
import { BudgetLedger } from "../budget/ledger.js";
import type { Config, HttpConfig } from "../config/types.js";
import type { RedisClient } from "../core/redis-slots.js";
import { keepShutdownDates } from "../engine/model-dates.js";
import { studioEditRegionLinks } from "../links/edit-region-links.js";
import { onceResolved, originalLinks } from "../links/original-links.js";
import { originalsRoute } from "../links/originals-route.js";
import { LINK_SECRET_NAME } from "../links/signed-url.js";
import type { Logger } from "../logger.js";
import {
  type HttpEndpoint,
  type HttpEndpointOptions,
  type Mount,
  type ReadinessCheck,
  startHttpEndpoint,
} from "../observability/http-endpoint.js";
import { redisCheck, storageCheck } from "../observability/readiness.js";
import type { Platform, PlatformContext, RunningPlatform } from "../platforms/platform.js";
import { cancelJob, listenForCancels } from "../queue/cancel.js";
import { connectRedis, createRedisConnection } from "../queue/connection.js";
import { imagesPerMinute } from "../queue/image-rate.js";
import { type LegacySweep, sweepLegacyQueue } from "../queue/legacy-queue.js";
import { PlatformQueues } from "../queue/platform-queues.js";
import { type PlatformWorkers, startPlatformWorkers } from "../queue/platform-workers.js";
import { mergePrometheusTexts } from "../queue/queue-metrics.js";
import { warnIfRedisForgets } from "../queue/redis-persistence.js";
import { type RunRetention, startRunRetention } from "../queue/retention.js";
import { RendererRegistry } from "../render/registry.js";
import { WORKER_STOPPING } from "../runner/cancelled-error.js";
import { createRunnerDeps } from "../runner/runner-deps.js";
import { createBlobStore } from "../storage/create-blob-store.js";
import { RunStore } from "../storage/run-store.js";
import { resolveSharedSecret } from "../stores/shared-secret.js";
import { ThreadStyleStore } from "../stores/thread-style.js";
import { ThreadStore } from "../stores/threads.js";
import { UserLimits } from "../stores/user-limits.js";

/** `all`: gateways and a worker in one process (`npm start`); `bot` and `worker` run them apart. */
export type ProcessMode = "all" | "bot" | "worker";

export interface RunningProcess {
  context: PlatformContext;
  /** One BullMQ Worker per platform queue this process can show; none in `bot` mode. */
  worker: PlatformWorkers | undefined;
  platforms: RunningPlatform[];
  /** `/healthz`, `/readyz`, `/metrics`; none with `HTTP_PORT=off`, or when its port was taken. */
  http: HttpEndpoint | undefined;
  /** Stops the gateways first (no new jobs), then lets running jobs finish, then closes connections. */
  stop(): Promise<void>;
  /** The second signal: aborts the running jobs (their messages say the bot was stopped). */
  cancelRunningJobs(): void;
}

/** A process's worker: its own Redis connection, and the removal of old runs when that is configured. */
interface ProcessWorker {
  worker: PlatformWorkers;
  connection: RedisClient;
  retention: RunRetention | undefined;
  /** Moves the jobs of the old shared queue while it has any (src/queue/legacy-queue.ts). */
  legacy: LegacySweep;
}

/**
 * Starts the bot process. Tests call this with the fakes' URLs in `config`; `main.ts` calls it with the
 * environment's and wires the signals.
 */
export async function startProcess(
  config: Config,
  platforms: Platform[],
  mode: ProcessMode,
  logger: Logger,
  options: Pick<HttpEndpointOptions, "threadMetrics"> = {},
): Promise<RunningProcess> {
  // ioredis reports every failed (re)connect as an event; unheard, it prints a stack trace for each.
  const onRedisError = (error: Error) => logger.warn({ err: error }, "redis connection error");
  warnRetiredDefault(config, logger);
  // Before any gateway or worker starts, so the first request is checked against the dates.
  const stopShutdownDates = await keepShutdownDates(config.openai, logger);
  const { context, queues, relay, linkSecret } = await producerContext(config, mode, logger, onRedisError);
  const work = mode !== "bot" ? await startWorker(context, platforms, relay, onRedisError) : undefined;
  const checks: ReadinessCheck[] = [redisCheck(context.redis), storageCheck(context.runs.blobs)];
  const running = mode !== "worker" ? await startPlatforms(context, platforms, checks) : [];
  const mounts = [
    ...(await httpMounts(context, queues, linkSecret)),
    ...running.flatMap((started) => started.mounts ?? []),
  ];
  const http =
    config.http && (await startEndpoint(config.http, { checks, mounts, ...options }, queues, logger));
  if (http) for (const started of running) await started.listening?.(http);
  const worker = work?.worker;
  return {
    context,
    worker,
    platforms: running,
    http,
    cancelRunningJobs: () => worker?.cancelAllJobs(WORKER_STOPPING),
    stop: () => {
      stopShutdownDates();
      return stopProcess(context, { running, work, relay, http, queues });
    },
  };
}

/** DEFAULT_IMAGE_MODEL named a retired model: the config mapped it, and the operator should know. */
function warnRetiredDefault(config: Config, logger: Logger): void {
  const retired = config.openai.retiredDefaultModel;
  if (retired === undefined) return;
  logger.warn(
    { ...retired, replacement: config.openai.defaultImageModel },
    `DEFAULT_IMAGE_MODEL ${retired.model} was retired on ${retired.retiredOn}; using ${config.openai.defaultImageModel}`,
  );
}

/** The producer's side, which every mode has: Redis, the cancel relay, the queue, the stores, the links. */
async function producerContext(
  config: Config,
  mode: ProcessMode,
  logger: Logger,
  onRedisError: (error: Error) => void,
): Promise<{
  context: PlatformContext;
  queues: PlatformQueues;
  relay: Relay;
  linkSecret: () => Promise<string>;
}> {
  const producer = createRedisConnection(config, "producer");
  const redis = (await connectRedis(producer, config)).on("error", onRedisError);
  // `npm start` runs this in its worker thread too: the warning is the process's, said once by its main thread.
  if (isMainThread) await warnIfRedisForgets(redis, logger);
  // Cancel requests go from the bot process that got the click to every worker process (`queue/cancel.ts`).
  const relay = new Relay({ connection: redis, prefix: config.queuePrefix, name: `imagine-bot:${mode}` });
  relay.on("error", (error: Error) => logger.warn({ err: error }, "relay error"));
  const queues = new PlatformQueues(redis, config.queuePrefix);
  const limits = new UserLimits(redis, config.queuePrefix, config.userLimits);
  const budget = new BudgetLedger(redis, config.queuePrefix, config.budgets);
  const runs = new RunStore(await createBlobStore(config.storage));
  const linkSecret = onceResolved(() =>
    resolveSharedSecret(LINK_SECRET_NAME, config.links.secret, { redis, prefix: config.queuePrefix }),
  );
  const editRegion = studioEditRegionLinks(config, linkSecret, redis);
  const context: PlatformContext = {
    config,
    logger,
    redis,
    queues,
    runs,
    originals: originalLinks({ blobs: runs.blobs, ...config.links, secret: linkSecret, logger }),
    threads: new ThreadStore(redis, config.queuePrefix),
    styles: new ThreadStyleStore(redis, config.queuePrefix),
    limits,
    budget,
    cancel: (runId, by) => cancelJob({ queues, redis, relay, limits, budget, logger }, runId, by),
    ...(editRegion ? { editRegion } : {}),
    chatReturns: new Map(),
  };
  return { context, queues, relay, linkSecret };
}

async function startWorker(
  context: PlatformContext,
  platforms: Platform[],
  relay: Relay,
  onRedisError: (error: Error) => void,
): Promise<ProcessWorker> {
  const { config, logger, runs } = context;
  const connection = createRedisConnection(config, "worker").on("error", onRedisError);
  const registry = new RendererRegistry();
  // Renderers edit the person's message after OpenAI was paid: their Redis reads (interaction tokens, the
  // thread chain) wait out a Redis blip on the worker's connection instead of failing fast as the
  // producer's do, or the paid final would not be shown.
  const patient: PlatformContext = {
    ...context,
    redis: connection,
    threads: new ThreadStore(connection, config.queuePrefix),
  };
  for (const platform of platforms) platform.registerRenderers(registry, patient);
  const deps = await createRunnerDeps(config, connection, registry, logger);
  // Before the platform queues are consumed: what waited in the old shared queue is in them already.
  const legacy = await sweepLegacyQueue({ connection, prefix: config.queuePrefix, logger });
  const worker = startPlatformWorkers(deps, {
    connection,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    imageRate: imagesPerMinute(config.openai.imagesPerMinute),
  });
  if (worker.workers.length === 0) logger.warn("this worker has no platform's token: it takes no job");
  for (const { kind, worker: one } of worker.workers)
    one.on("error", (error) => logger.error({ err: error, queue: kind }, "worker error"));
  await listenForCancels(relay, worker, logger);
  const retention =
    config.runRetentionDays > 0
      ? await startRunRetention({
          connection,
          prefix: config.queuePrefix,
          runs,
          days: config.runRetentionDays,
          logger,
        })
      : undefined;
  return { worker, connection, retention, legacy };
}

/** Starts the gateways; each one that can tell whether it is connected joins the readiness checks. */
async function startPlatforms(
  context: PlatformContext,
  platforms: Platform[],
  checks: ReadinessCheck[],
): Promise<RunningPlatform[]> {
  const running: RunningPlatform[] = [];
  for (const platform of platforms) {
    const started = await platform.start(context);
    running.push(started);
    if (started.ready) checks.push({ name: platform.name, check: started.ready.bind(started) });
    context.logger.info({ platform: platform.name }, "platform started");
  }
  return running;
}

async function httpMounts(
  context: PlatformContext,
  queues: PlatformQueues,
  linkSecret: () => Promise<string>,
): Promise<Mount[]> {
  const { config, runs } = context;
  const mounts: Mount[] = [originalsRoute(runs.blobs, linkSecret)];
  if (config.dashboard) {
    // Express and Bull Board load only for a dashboard that is configured (some 30 MB otherwise held for nothing).
    const { DASHBOARD_PATH, dashboardHandler } = await import("../observability/dashboard.js");
    mounts.push({ path: DASHBOARD_PATH, handle: dashboardHandler(queues.all, config.dashboard) });
  }
  return mounts;
}

/** Stops the gateways first (no new jobs), then lets running jobs finish, then closes connections. */
async function stopProcess(
  context: PlatformContext,
  parts: {
    running: RunningPlatform[];
    work: ProcessWorker | undefined;
    relay: Relay;
    http: HttpEndpoint | undefined;
    queues: PlatformQueues;
  },
): Promise<void> {
  const { running, work, relay, http, queues } = parts;
  for (const platform of running)
    await platform.stop().catch((error) => context.logger.error({ err: error }, "stop failed"));
  await work?.worker.close();
  await work?.legacy.close();
  await work?.retention?.close();
  await relay.close();
  await queues.close();
  context.redis.disconnect();
  work?.connection.disconnect();
  await http?.close();
}

/**
 * The health and metrics endpoint, with BullMQ's job counts added to the metrics. A port already taken is
 * logged, not fatal: the bot serves people without it, and the operator sees why the probe fails.
 */
async function startEndpoint(
  { port, host, metricsToken }: HttpConfig,
  served: Pick<HttpEndpointOptions, "checks" | "mounts" | "threadMetrics">,
  queues: PlatformQueues,
  logger: Logger,
): Promise<HttpEndpoint | undefined> {
  try {
    return await startHttpEndpoint({
      port,
      host,
      metricsToken,
      ...served,
      moreMetrics: async () =>
        mergePrometheusTexts(await Promise.all(queues.all.map((queue) => queue.exportPrometheusMetrics()))),
      logger,
    });
  } catch (error) {
    logger.error({ err: error, port }, "health and metrics endpoint not started");
    return undefined;
  }
}
