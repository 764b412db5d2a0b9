/**
 * `npm start`'s worker, in a thread of its own (`worker-in-thread.ts` starts it): image jobs (OpenAI's streams,
 * sharp, the run folder) run on this thread's event loop, never on the gateway's, so a burst of commands is
 * answered while images are being made. It reads the same environment as the main thread.
 */
import { parentPort } from "node:worker_threads";
import { loadConfig } from "../config/load.js";
import { createLogger } from "../logger.js";
import { registry } from "../metrics.js";
import { configuredPlatforms } from "../platforms/index.js";
import { startProcess } from "./process.js";
import { lowerThisThreadPriority, WORKER_THREAD_NICENESS } from "./thread-priority.js";
import type { FromWorkerThread, ToWorkerThread } from "./worker-in-thread.js";

const port = parentPort;
if (port === null) throw new Error("worker-thread.ts runs as a worker thread of npm start");
const send = (message: FromWorkerThread) => port.postMessage(message);

const config = loadConfig(undefined, ["openai"]);
const logger = createLogger(config.logLevel);
const lowering = lowerThisThreadPriority(WORKER_THREAD_NICENESS);
if (typeof lowering === "object")
  logger.warn({ reason: lowering.refused }, "the worker thread keeps the gateway's priority");
else if (lowering === "no-thread-ids") logger.debug("the worker thread keeps the gateway's priority here");
// As on the main thread (main.ts): a promise nobody awaited is logged, not allowed to end the thread.
process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
// The main thread serves HTTP for the whole process; this thread's metrics reach it as messages.
const running = await startProcess(
  { ...config, http: undefined },
  await configuredPlatforms(config),
  "worker",
  logger,
);

port.on("message", (message: ToWorkerThread) => {
  if (message.type === "stop") {
    // Closing the port lets the thread end once the stop has closed its connections; main awaits its exit.
    void running
      .stop()
      .catch((error: unknown) => logger.error({ err: error }, "worker thread shutdown failed"))
      .finally(() => port.close());
  } else if (message.type === "cancel") {
    running.cancelRunningJobs();
  } else {
    void registry.getMetricsAsJSON().then((metrics) => send({ type: "metrics", id: message.id, metrics }));
  }
});
send({ type: "running" });
