import type { BudgetLedger } from "../budget/ledger.js";
import type { Config } from "../config/types.js";
import type { RedisClient } from "../core/redis-slots.js";
import type { ChatReturns } from "../intake/chat-return.js";
import type { EditRegionLinks } from "../links/edit-region-links.js";
import type { OriginalLinks } from "../links/original-links.js";
import type { Logger } from "../logger.js";
import type { Mount } from "../observability/http-endpoint.js";
import type { Canceller, CancelOutcome } from "../queue/cancel.js";
import type { JobQueues } from "../queue/imagine-queue.js";
import type { RendererRegistry } from "../render/registry.js";
import type { RunStore } from "../storage/run-store.js";
import type { ThreadStyleStore } from "../stores/thread-style.js";
import type { ThreadStore } from "../stores/threads.js";
import type { UserLimits } from "../stores/user-limits.js";

/** What a platform adapter and its renderers share with the rest of the process. */
export interface PlatformContext {
  config: Config;
  logger: Logger;
  /** A producer connection (fails fast): for enqueueing and the platform's own Redis stores. */
  redis: RedisClient;
  /** A queue per platform (src/queue/platform-queues.ts). */
  queues: JobQueues;
  runs: RunStore;
  threads: ThreadStore;
  /** Each thread's pinned style, added to its turns by the intake. */
  styles: ThreadStyleStore;
  /** Per-person slots, taken by the intake for every command and button. */
  limits: UserLimits;
  /** Dollar and image budgets, reserved by the intake before anything is queued. */
  budget: BudgetLedger;
  /** Links to a final's original in run storage, for a message that shows it altered or not at all. */
  originals: OriginalLinks;
  /** The Cancel button: removes a waiting job, or tells the worker running it to stop (`queue/cancel.ts`). */
  cancel(runId: string, by: Canceller): Promise<CancelOutcome>;
  /** The studio's "Edit region" links, where the studio is on and has a public address. */
  editRegion?: EditRegionLinks;
  /** How the studio posts an Edit region back into chat: each chat platform adds its own as it starts. */
  chatReturns?: ChatReturns;
}

export interface RunningPlatform {
  /** Stops taking new work (disconnects the gateway, closes the receiver); jobs already queued still run. */
  stop(): Promise<void>;
  /** For `/readyz`: throws, saying why, while the platform's events cannot reach the bot. */
  ready?(): Promise<void>;
  /** Paths the platform serves on the bot's HTTP endpoint (the web studio's `/studio`). */
  mounts?: Mount[];
  /** The HTTP endpoint serves the mounts now, at this port: for links the platform prints (the studio's sign-in). */
  listening?(endpoint: { port: number; address: string }): Promise<void>;
}

/**
 * One chat platform. The bot process calls `start`; every worker process calls `registerRenderers`, so
 * a worker on another machine can still render a job that came from this platform.
 */
export interface Platform {
  name: string;
  registerRenderers(registry: RendererRegistry, context: PlatformContext): void;
  start(context: PlatformContext): Promise<RunningPlatform>;
}
