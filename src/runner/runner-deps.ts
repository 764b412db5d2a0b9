import type { Redis } from "ioredis";
import { BudgetLedger } from "../budget/ledger.js";
import type { Config, StorageConfig } from "../config/types.js";
import { createEngine } from "../engine/engine.js";
import { saltedSafetyIdentifier } from "../engine/safety.js";
import type { Logger } from "../logger.js";
import type { RendererRegistry } from "../render/registry.js";
import { createBlobStore } from "../storage/create-blob-store.js";
import { RunStore } from "../storage/run-store.js";
import { JobProgress } from "../stores/job-progress.js";
import { resolveSafetySalt } from "../stores/safety-salt.js";
import { ThreadStore } from "../stores/threads.js";
import { UserLimits } from "../stores/user-limits.js";
import type { JobRunnerDeps } from "./run-job.js";

/** Wires a worker's collaborators from the config; every worker process (CLI, bot, standalone) uses this. */
export async function createRunnerDeps(
  config: Config,
  redis: Redis,
  renderers: RendererRegistry,
  logger: Logger,
  storage: StorageConfig = config.storage,
): Promise<JobRunnerDeps> {
  return {
    engine: createEngine(config.openai, { logger }),
    runs: new RunStore(await createBlobStore(storage)),
    threads: new ThreadStore(redis, config.queuePrefix),
    progress: new JobProgress(redis, config.queuePrefix),
    limits: new UserLimits(redis, config.queuePrefix, config.userLimits),
    budget: new BudgetLedger(redis, config.queuePrefix, config.budgets),
    pricing: { prices: config.prices, responsesModel: config.openai.responsesModel },
    renderers,
    logger,
    safetyIdentifier: saltedSafetyIdentifier(() =>
      resolveSafetySalt(config.openai.safetyIdentifierSalt, { redis, prefix: config.queuePrefix }),
    ),
  };
}
