import { once } from "node:events";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { MetricObjectWithValues, MetricValue } from "prom-client";
import type { Logger } from "../logger.js";

type ThreadMetrics = MetricObjectWithValues<MetricValue<string>>[];

export type ToWorkerThread = { type: "stop" } | { type: "cancel" } | { type: "metrics"; id: number };
export type FromWorkerThread = { type: "running" } | { type: "metrics"; id: number; metrics: ThreadMetrics };

export interface WorkerThread {
  /** Takes no new jobs, lets the running ones finish, closes its connections; resolves once it has ended. */
  stop(): Promise<void>;
  /** A second signal: running jobs are aborted (their messages say so) and the stop ends soon after. */
  cancelRunningJobs(): void;
  /** The thread's metrics registry, for the main thread's `/metrics`. */
  metrics(): Promise<ThreadMetrics>;
}

/**
 * The worker's young generation (three semi-spaces): 4 MB semi-spaces, as `npm run worker`'s
 * `--max-semi-space-size=4`. Image bytes live outside the JavaScript heap, so V8's default young generation
 * (32 MB semi-spaces here) fills slowly and the dead frames' buffers it would free wait for it: with fifty jobs
 * streaming, some 70 MB more held at the peak (2 MB held no less, and cost more CPU in collections; 8 MB held
 * 30 MB more). The gateway's thread keeps V8's default.
 */
const WORKER_YOUNG_GENERATION_MB = 12;

/** A metrics request the thread does not answer within this is left out of that scrape. */
const METRICS_TIMEOUT_MS = 2_000;

/**
 * Starts `worker-thread.ts` and resolves once its worker is running. The thread being gone by surprise (an
 * uncaught error there) leaves the process in a state nobody knows: `onLost` is told, and main.ts exits.
 */
export async function startWorkerThread(
  logger: Logger,
  onLost: (error: Error) => void,
): Promise<WorkerThread> {
  // The built program runs `.js`; `npm run dev` runs the TypeScript through tsx, whose loader the thread
  // inherits with the process's exec arguments.
  const entry = new URL(`./worker-thread${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  // libuv's pool threads are made on its first use and keep the priority of the thread that made them: made
  // here, before the worker thread lowers its own (`thread-priority.ts`), the pool works at the gateway's.
  await stat(entry);
  const thread = new Worker(entry, {
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  let stopping = false;
  let nextId = 0;
  const pending = new Map<number, (metrics: ThreadMetrics) => void>();
  thread.on("message", (message: FromWorkerThread) => {
    if (message.type === "metrics") pending.get(message.id)?.(message.metrics);
  });
  const exited = once(thread, "exit");
  const started = new Promise<void>((resolve, reject) => {
    thread.on("message", (message: FromWorkerThread) => message.type === "running" && resolve());
    thread.once("error", reject);
    thread.once("exit", (code) =>
      reject(new Error(`the worker thread exited while starting (code ${code})`)),
    );
  });
  await started;
  thread.on("error", (error) => {
    logger.fatal({ err: error }, "worker thread failed");
    onLost(error);
  });
  thread.on("exit", (code) => {
    if (!stopping) onLost(new Error(`the worker thread exited (code ${code})`));
  });
  const send = (message: ToWorkerThread) => thread.postMessage(message);
  return {
    async stop() {
      stopping = true;
      send({ type: "stop" });
      await exited;
    },
    cancelRunningJobs: () => send({ type: "cancel" }),
    metrics() {
      const id = nextId++;
      return new Promise<ThreadMetrics>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the worker thread sent no metrics within ${METRICS_TIMEOUT_MS} ms`));
        }, METRICS_TIMEOUT_MS);
        pending.set(id, (metrics) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(metrics);
        });
        send({ type: "metrics", id });
      });
    },
  };
}
