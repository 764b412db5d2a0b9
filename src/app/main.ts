import { parseArgs } from "node:util";
import { NEEDS_BY_MODE } from "../config/cross-checks.js";
import { loadConfig } from "../config/load.js";
import { ConfigError } from "../config/types.js";
import { createLogger, type Logger } from "../logger.js";
import { configuredPlatforms } from "../platforms/index.js";
import type { ProcessMode } from "./process.js";
import { type StartedMode, startMode } from "./start-mode.js";

/**
 * `npm start` (gateways and a worker), `npm run bot` (gateways only), `npm run worker` (a worker only;
 * start as many as the load needs, on any machine that reaches the same Redis and storage).
 */
/** After a second signal, the longest the stop may take before the process exits anyway. */
const FORCED_EXIT_MS = 10_000;
/**
 * A signal this soon after the first is the same stop delivered again (see `onSignal`); only a later one asks to
 * cancel the running jobs.
 */
const SAME_STOP_MS = 2_000;

async function main(): Promise<void> {
  const mode = processMode();
  const config = loadConfig(undefined, NEEDS_BY_MODE[mode]);
  const logger = createLogger(config.logLevel);
  installLastGuards(logger);

  // Listening before the first line is logged: without a listener the kernel ends the process at once on
  // SIGTERM, and a supervisor (or a test) may send it as soon as the process says anything.
  const state: StopState = { running: undefined, firstSignalAt: undefined };
  const shutdown = (signal: NodeJS.Signals) => onSignal(state, logger, signal);
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);

  // The bot's configuration names at least one platform (`gateways`); a worker may start with none.
  const platforms = await configuredPlatforms(config);
  // A worker edits replies with the platform's bot token; one without it cannot show that platform's jobs.
  const missing = [config.discord ? [] : ["DISCORD_TOKEN"], config.slack ? [] : ["SLACK_BOT_TOKEN"]].flat();
  if (mode === "worker" && missing.length > 0) {
    logger.warn({ missing }, "this worker cannot show jobs of the platforms whose token is not set");
  }

  if (state.firstSignalAt !== undefined) process.exit(0);
  state.running = await startMode(config, platforms, mode, logger, (error) => {
    // A worker thread that died leaves jobs and connections in a state nobody knows: exit and be restarted.
    logger.fatal({ err: error }, "the worker thread is gone; exiting");
    process.exit(1);
  });
  if (state.firstSignalAt !== undefined) return stopAndExit(state.running, logger);
  logger.info({ mode, platforms: platforms.map((platform) => platform.name) }, "imagine-bot running");
}

function processMode(): ProcessMode {
  const { values } = parseArgs({ options: { mode: { type: "string", default: "all" } } });
  const mode = values.mode as ProcessMode;
  if (!["all", "bot", "worker"].includes(mode))
    throw new Error(`--mode must be all, bot or worker (got "${mode}")`);
  return mode;
}

/**
 * Last guards: a promise nobody awaited must not take every person's job down with it (Node's default for an
 * unhandled rejection is to exit); an uncaught exception leaves state unknown, so exit and be restarted.
 */
function installLastGuards(logger: Logger): void {
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
  process.on("uncaughtException", (error) => {
    logger.fatal({ err: error }, "uncaught exception; exiting");
    process.exit(1);
  });
}

/** What the signals act on: the started mode once there is one, and when a stop was first asked for. */
interface StopState {
  running: StartedMode | undefined;
  firstSignalAt: number | undefined;
}

function stopAndExit(started: StartedMode, logger: Logger): void {
  void started.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    },
  );
}

function onSignal(state: StopState, logger: Logger, signal: NodeJS.Signals): void {
  if (state.firstSignalAt === undefined) {
    state.firstSignalAt = Date.now();
    logger.info({ signal }, "shutting down: no new jobs; running jobs finish");
    // During start-up, the stop waits for it to finish (in `main`); before it, nothing starts.
    if (state.running) stopAndExit(state.running, logger);
    return;
  }
  // One stop often arrives twice within milliseconds, whichever signal it is: Ctrl-C from the terminal (to the
  // whole group) and again from npm, which forwards it; `kill -- -PGID` from `timeout`, systemd or a
  // supervisor, to npm (which forwards it) and to node directly. Only a later signal is a person asking again.
  if (Date.now() - state.firstSignalAt <= SAME_STOP_MS) {
    logger.info({ signal }, "the same stop signal again; running jobs still finish");
    return;
  }
  cancelRunningJobs(state.running, logger, signal);
}

/**
 * A second signal: abort running jobs (they fail cleanly and their messages say so); during a start-up that
 * hangs (Redis unreachable), leave at once.
 */
function cancelRunningJobs(running: StartedMode | undefined, logger: Logger, signal: NodeJS.Signals): void {
  if (running === undefined) process.exit(1);
  logger.warn({ signal }, "stopping again: cancelling running jobs");
  running.cancelRunningJobs();
  // Cancelled jobs end within moments; a stop that still hangs (BullMQ's close waits forever when Redis
  // is reconnecting at that moment) must not keep the process alive.
  setTimeout(() => {
    logger.error({ signal }, "shutdown did not finish after cancelling the jobs; exiting");
    process.exit(1);
  }, FORCED_EXIT_MS).unref();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : `error: ${(error as Error).message}`}\n`,
  );
  process.exit(error instanceof ConfigError ? 2 : 1);
});
