import type { ShownRun } from "../actions/shown-run.js";
import type { BudgetLedger } from "../budget/ledger.js";
import type { UsageMarkup } from "../budget/usage-report.js";
import type { RedisClient } from "../core/redis-slots.js";
import type { Logger } from "../logger.js";
import type { JobQueues } from "../queue/imagine-queue.js";
import type { RunStore } from "../storage/run-store.js";
import type { UserLimits } from "../stores/user-limits.js";
import type { HistoryEntry } from "./history-entries.js";

/**
 * The few things a platform does for a command that answers only the person who typed it; the answer itself
 * is the handler's, the same everywhere (as `actions/` is for buttons).
 */
export interface CommandPort {
  platform: "discord" | "slack";
  /** Who typed it, and their server or workspace (none in a Discord DM). */
  user: { platform: string; id: string; workspace: string | undefined };
  /** The platform's own rule: Manage Server or `DISCORD_ADMIN_ROLE_IDS`; `SLACK_ADMIN_USER_IDS`. */
  isAdmin(): boolean;
  /** How a person types the command `name` there: `/usage` on Discord, `/imagine usage` on Slack. */
  typed(name: string): string;
  markup: UsageMarkup & { done: string };
  /** The most text one private answer shows. */
  maxText: number;
  /** Takes the command privately before a slow answer (Discord and Slack wait 3 seconds at most). */
  acknowledge(): Promise<void>;
  answerPrivately(text: string): Promise<void>;
  /** The `/history` list, privately: each run's prompt and job id, its image where the platform can, Show. */
  showHistory(entries: readonly HistoryEntry[]): Promise<void>;
  /** Posts a past result as a new message where the command was typed, handed to the platform's renderer. */
  showRun(shown: ShownRun): Promise<void>;
}

/** What a handler may use of the process. */
export interface CommandDeps {
  budget: BudgetLedger;
  limits: UserLimits;
  queues: JobQueues;
  runs: RunStore;
  logger: Logger;
  /** The producer connection and key prefix, for the stores a command reads (each person's runs). */
  redis: RedisClient;
  config: { queuePrefix: string };
}

/** A platform-neutral handler of a command declared in commands/, with its parsed options. */
export type CommandHandler<Args> = (deps: CommandDeps, port: CommandPort, args: Args) => Promise<void>;
