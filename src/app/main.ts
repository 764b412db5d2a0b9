import { parseArgs } from "node:util";
import { ConfigError, type ConfigSection, loadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { configuredPlatforms } from "../platforms/index.js";
import { type ProcessMode, startProcess } from "./process.js";

/**
 * `npm start` (gateways and a worker), `npm run bot` (gateways only), `npm run worker` (a worker only;
 * start as many as the load needs, on any machine that reaches the same Redis and storage).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mode: { type: "string", default: "all" } } });
  const mode = values.mode as ProcessMode;
  if (!["all", "bot", "worker"].includes(mode))
    throw new Error(`--mode must be all, bot or worker (got "${mode}")`);
  const needs: ConfigSection[] = mode === "bot" ? [] : ["openai"];
  const config = loadConfig(process.env, needs);
  const logger = createLogger(config.logLevel);
  const platforms = configuredPlatforms(config);
  if (platforms.length === 0) {
    throw new Error("No platform is configured: set DISCORD_TOKEN and/or SLACK_BOT_TOKEN (see README.md).");
  }
  const running = await startProcess(config, platforms, mode, logger);
  logger.info({ mode, platforms: platforms.map((platform) => platform.name) }, "imagine-bot running");

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal: abort running jobs (they fail cleanly and their messages say so).
      running.worker?.cancelAllJobs(`received ${signal} twice`);
      return;
    }
    stopping = true;
    logger.info({ signal }, "shutting down: no new jobs; running jobs finish");
    void running.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : `error: ${(error as Error).message}`}\n`,
  );
  process.exit(error instanceof ConfigError ? 2 : 1);
});
