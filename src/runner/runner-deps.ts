import type { Pricing } from "../budget/job-cost.js";
import { BudgetLedger } from "../budget/ledger.js";
import type { Config, StorageConfig } from "../config/types.js";
import type { RedisClient } from "../core/redis-slots.js";
import { createOpenAIClient } from "../engine/client.js";
import { createEngine } from "../engine/engine.js";
import type { ImageEngine } from "../engine/events.js";
import { type EndGivenUpResponse, givenUpResponseEnder } from "../engine/given-up-response.js";
import { saltedSafetyIdentifier } from "../engine/safety.js";
import { createTextModel, type TextModel } from "../engine/text-call.js";
import type { Logger } from "../logger.js";
import type { RendererRegistry } from "../render/registry.js";
import { createBlobStore } from "../storage/create-blob-store.js";
import { RunStore } from "../storage/run-store.js";
import { JobProgress } from "../stores/job-progress.js";
import { RunIndex } from "../stores/run-index.js";
import { resolveSafetySalt } from "../stores/safety-salt.js";
import { ThreadStore } from "../stores/threads.js";
import { UserLimits } from "../stores/user-limits.js";

export interface JobRunnerDeps {
  engine: ImageEngine;
  /** Asks the Responses model for text (Describe, Enhance); absent where only images are made (some tests). */
  text?: TextModel;
  runs: RunStore;
  threads: ThreadStore;
  /**
   * What earlier runs of a job got to: lost generations, a background response to resume. None when the job
   * has no Redis (the CLI without one): then no other run can take over.
   */
  progress?: JobProgress;
  /** Collects or cancels the background response of a job given up after its workers died. */
  endGivenUpResponse?: EndGivenUpResponse;
  /** Each person's runs for `/history`; none without Redis (the CLI without one). */
  runIndex?: RunIndex;
  renderers: RendererRegistry;
  logger: Logger;
  /** Per-person slots taken at intake; `createImagineWorker` frees them once the images are stored. */
  limits?: UserLimits;
  /** Reservations made at intake; settled to the real cost once the images are stored, refunded on failure. */
  budget?: BudgetLedger;
  /** Prices for the cost in `metadata.json`. */
  pricing: Pricing;
  /** Hashes a platform user id for OpenAI's `safety_identifier` (the salt may come from Redis). */
  safetyIdentifier: (platform: string, userId: string) => Promise<string>;
}

/** Wires a worker's collaborators from the config; every worker process (CLI, bot, standalone) uses this. */
export async function createRunnerDeps(
  config: Config,
  redis: RedisClient,
  renderers: RendererRegistry,
  logger: Logger,
  storage: StorageConfig = config.storage,
): Promise<JobRunnerDeps> {
  return {
    engine: createEngine(config.openai, { logger }),
    text: createTextModel(config.openai, { logger }),
    runs: new RunStore(await createBlobStore(storage)),
    threads: new ThreadStore(redis, config.queuePrefix),
    progress: new JobProgress(redis, config.queuePrefix),
    endGivenUpResponse: givenUpResponseEnder(createOpenAIClient(config.openai), config.openai),
    runIndex: new RunIndex(redis, config.queuePrefix),
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
