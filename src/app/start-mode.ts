import type { Config } from "../config/types.js";
import type { Logger } from "../logger.js";
import type { Platform } from "../platforms/platform.js";
import { type ProcessMode, startProcess } from "./process.js";
import { startWorkerThread } from "./worker-in-thread.js";

/** What main.ts needs of a started program, whatever its mode. */
export interface StartedMode {
  /** Stops the gateways (no new jobs), lets running jobs finish, then closes connections. */
  stop(): Promise<void>;
  /** The second signal: aborts running jobs; their messages say so. */
  cancelRunningJobs(): void;
}

/**
 * `bot` and `worker` are one `startProcess` each. `all` (`npm start`) runs the gateways on the main thread and
 * the worker on a thread of its own, so image work never delays an answer to Discord or Slack (a burst of
 * commands used to wait behind the SSE parsing and file writes of the jobs in flight); the main thread's HTTP
 * endpoint serves both threads' metrics. `onLost` hears of a worker thread that died.
 */
export async function startMode(
  config: Config,
  platforms: Platform[],
  mode: ProcessMode,
  logger: Logger,
  onLost: (error: Error) => void,
): Promise<StartedMode> {
  if (mode !== "all") return startProcess(config, platforms, mode, logger);
  const worker = await startWorkerThread(logger, onLost);
  const bot = await startProcess(config, platforms, "bot", logger, {
    threadMetrics: async () => [await worker.metrics()],
  });
  return {
    async stop() {
      // At once: the gateways stop taking commands while the worker finishes what it runs.
      await Promise.all([bot.stop(), worker.stop()]);
    },
    cancelRunningJobs: () => worker.cancelRunningJobs(),
  };
}
