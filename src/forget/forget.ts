import type { OpenAIConfig } from "../config/types.js";
import { userError } from "../core/errors.js";
import { plural } from "../core/plural.js";
import type { RedisClient } from "../core/redis-slots.js";
import { createOpenAIClient } from "../engine/client.js";
import { type DeleteStoredResponse, storedResponseDeleter } from "../engine/stored-responses.js";
import type { Logger } from "../logger.js";
import type { RunMetadata, RunStore } from "../storage/run-store.js";
import { RunIndex } from "../stores/run-index.js";
import { ThreadStyleStore } from "../stores/thread-style.js";
import type { ThreadAddress, ThreadStore, ThreadTurn } from "../stores/threads.js";
import { unpinStyle } from "../style/pin-style.js";

/**
 * Delete (one result, its requester) and `/forget` (a whole thread, its owner or an admin), the same on every
 * platform: the run folders, the thread's chain (or the result's turn in it) and the responses OpenAI stores
 * for the chain. Each plan is checked first and carried out after, so a platform can acknowledge in between.
 * Everything is removed in an order that a second attempt can finish: OpenAI first, storage next, the chain
 * last (a delete of what is already gone counts as done).
 */
export interface ForgetDeps {
  runs: RunStore;
  threads: ThreadStore;
  /** Each thread's pinned style: `/forget` unpins it and removes its images. */
  styles: ThreadStyleStore;
  /** Each person's runs for `/history`: a forgotten run leaves it. */
  index: RunIndex;
  deleteResponse: DeleteStoredResponse;
  logger: Logger;
}

/** What was removed, for the sentence the person gets. */
export interface ForgetReport {
  /** Final images in the run folders removed. */
  images: number;
  /** Stored responses deleted at OpenAI, or found already gone. */
  responses: number;
  /** Stored responses OpenAI would not delete now (logged); they expire there after 30 days. */
  responsesKept: number;
  /** The whole thread's chain, the result's own turn in it, or nothing (a result outside a chain). */
  history: "thread" | "turn" | "none";
  /** The thread's pinned style was removed with it. */
  style?: boolean;
}

/** Checked and ready: `forget` removes (a platform acknowledges the person first, deletes take time). */
export interface AllowedForgetting {
  kind: "allowed";
  forget(): Promise<ForgetReport>;
}

/** Delete: allowed, or refused with the requester, the one person who may. */
export type RunDeletion = AllowedForgetting | { kind: "refused"; owner: string };

/** `/forget`: allowed, refused (with the thread's owner when known), or nothing to forget there. */
export type ThreadForgetting = AllowedForgetting | { kind: "refused"; owner?: string } | { kind: "nothing" };

/** Who asks `/forget`; `admin` follows the platform's own rule (Manage Server, `SLACK_ADMIN_USER_IDS`). */
export interface Forgetter {
  userId: string;
  admin: boolean;
}

/** The process context has all of it; the OpenAI client for deletes is made once per configuration. */
export function forgetDeps(context: {
  runs: RunStore;
  threads: ThreadStore;
  redis: RedisClient;
  logger: Logger;
  config: { openai: OpenAIConfig; queuePrefix: string };
}): ForgetDeps {
  let deleter = deleters.get(context.config.openai);
  if (deleter === undefined) {
    deleter = storedResponseDeleter(createOpenAIClient(context.config.openai));
    deleters.set(context.config.openai, deleter);
  }
  return {
    runs: context.runs,
    threads: context.threads,
    styles: new ThreadStyleStore(context.redis, context.config.queuePrefix),
    index: new RunIndex(context.redis, context.config.queuePrefix),
    logger: context.logger,
    deleteResponse: deleter,
  };
}

const deleters = new WeakMap<OpenAIConfig, DeleteStoredResponse>();

/** Delete under a result: only its requester may; its folder, its stored response and its thread turn go. */
export async function planRunDeletion(deps: ForgetDeps, runId: string, userId: string): Promise<RunDeletion> {
  const metadata = await deps.runs.findMetadata(runId);
  if (metadata === undefined) {
    throw userError("run_not_found", { wanted: "forget" });
  }
  const requester = metadata.origin.user.id;
  if (requester !== userId) return { kind: "refused", owner: requester };
  return {
    kind: "allowed",
    async forget() {
      const report = await removeRuns(deps, [
        { runId, metadata, finals: metadata.finals.length, responseIds: [metadata.responseId] },
      ]);
      const thread = metadata.origin.thread;
      const removed = thread ? await deps.threads.remove(addressOf(thread), [runId]) : 0;
      return { ...report, history: removed > 0 ? "turn" : "none" };
    },
  };
}

/**
 * `/forget` in a thread: every turn's run folder and stored response, then the chain itself, so the next
 * message there starts a new chain. The thread belongs to whoever asked for its first turn still stored.
 */
export async function planThreadForgetting(
  deps: ForgetDeps,
  address: ThreadAddress,
  by: Forgetter,
): Promise<ThreadForgetting> {
  const turns = await deps.threads.turns(address);
  const pinned = (await deps.styles.get(address)) !== undefined;
  if (turns.length === 0 && !pinned) return { kind: "nothing" };
  const runs = await Promise.all(turns.map((turn) => runOfTurn(deps, turn)));
  const owner = runs.find((run) => run.metadata !== undefined)?.metadata?.origin.user.id;
  // A style alone is anyone's there to unpin, as pinning it was; a thread with turns is its owner's.
  if (turns.length > 0 && !by.admin && owner !== by.userId)
    return owner === undefined ? { kind: "refused" } : { kind: "refused", owner };
  return {
    kind: "allowed",
    async forget() {
      const report = await removeRuns(deps, runs);
      const style = (await unpinStyle(deps, address)) !== undefined;
      await deps.threads.clear(address);
      return { ...report, history: turns.length > 0 ? "thread" : "none", ...(style ? { style } : {}) };
    },
  };
}

/** Why `/forget` was refused; `admins` names them the platform's way ("a server admin", "an admin"). */
export function forgetRefusal(owner: string | undefined, admins: string): string {
  const who = owner ? `<@${owner}>, who started this thread,` : "the person who started this thread";
  return `Only ${who} or ${admins} can forget it.`;
}

/** The sentence for the person, e.g. "Deleted: 3 images, 2 stored OpenAI responses, this thread's history." */
export function forgetSummary(report: ForgetReport): string {
  const parts: string[] = [];
  if (report.images > 0) parts.push(plural(report.images, "image"));
  if (report.responses > 0) parts.push(plural(report.responses, "stored OpenAI response"));
  if (report.history === "thread") parts.push("this thread's history");
  if (report.history === "turn") parts.push("its turn in the thread's history");
  if (report.style) parts.push("this thread's pinned style");
  const sentences = [
    parts.length > 0 ? `Deleted: ${parts.join(", ")}.` : "Nothing of it was stored any more.",
  ];
  if (report.responsesKept > 0) {
    const them = report.responsesKept === 1 ? "it" : "them";
    sentences.push(
      `${plural(report.responsesKept, "stored OpenAI response")} could not be deleted right now; OpenAI deletes ${them} after 30 days.`,
    );
  }
  if (report.history === "thread" || report.style) {
    sentences.push("The messages stay in the thread: Delete under a result removes it too.");
  }
  return sentences.join(" ");
}

interface RunToRemove {
  runId: string;
  metadata: RunMetadata | undefined;
  /** Final images in its folder. */
  finals: number;
  responseIds: Array<string | undefined>;
}

async function runOfTurn(deps: ForgetDeps, turn: ThreadTurn): Promise<RunToRemove> {
  // A damaged metadata file must not keep the rest of the thread from being forgotten.
  const metadata = await deps.runs.findMetadata(turn.jobId).catch((error: unknown) => {
    deps.logger.warn({ err: error, runId: turn.jobId }, "run metadata unreadable while forgetting");
    return undefined;
  });
  return {
    runId: turn.jobId,
    metadata,
    finals: metadata?.finals.length ?? turn.imageKeys.length,
    responseIds: [turn.responseId, metadata?.responseId],
  };
}

async function removeRuns(
  deps: ForgetDeps,
  runs: readonly RunToRemove[],
): Promise<Omit<ForgetReport, "history">> {
  const responseIds = new Set(runs.flatMap((run) => run.responseIds).filter((id) => id !== undefined));
  let responses = 0;
  let responsesKept = 0;
  for (const responseId of responseIds) {
    try {
      await deps.deleteResponse(responseId);
      responses++;
    } catch (error) {
      responsesKept++;
      deps.logger.warn({ err: error, responseId }, "stored response not deleted");
    }
  }
  let images = 0;
  for (const run of runs) {
    if (await deps.runs.remove(run.runId)) images += run.finals;
    // After its folder: a second attempt still finds whose list it is in.
    if (run.metadata) await deps.index.remove(run.metadata.origin.user, [run.runId]);
  }
  return { images, responses, responsesKept };
}

/** A job's thread reference names the turn it continued; the chain is the thread's, without it. */
function addressOf(thread: ThreadAddress): ThreadAddress {
  return { platform: thread.platform, workspace: thread.workspace, thread: thread.thread };
}
