import { type UserError, userError } from "../core/errors.js";
import type { JobSpec } from "../core/job-spec.js";
import { isRunId } from "../core/run-id.js";

/**
 * The buttons under a result, the same on every platform. Each carries only `action:jobId` (Discord's
 * custom id, Slack's button value): the rest is read back from the run folder (`actions/follow-ups.ts`), so a
 * button keeps working after a restart and in any bot process. The job id is also the run id.
 */
export const RESULT_ACTIONS = ["reroll", "vary", "refine", "details", "delete"] as const;
export type ResultAction = (typeof RESULT_ACTIONS)[number];

export const RESULT_ACTION_LABELS: Readonly<Record<ResultAction, string>> = {
  reroll: "Re-roll",
  vary: "Vary",
  refine: "Refine in thread",
  details: "Details",
  delete: "Delete",
};

/**
 * The actions shown under a result. "Refine in thread" opens a thread on the result, so it is offered only
 * where one can be opened: not on a result already inside a thread (Discord has no thread in a thread; the
 * person continues that thread by mentioning the bot), and never on Slack, where replying in the result's
 * thread refines it.
 */
export function offeredActions(canOpenThread: boolean): readonly ResultAction[] {
  return canOpenThread ? RESULT_ACTIONS : RESULT_ACTIONS.filter((action) => action !== "refine");
}

export function actionValue(action: ResultAction, jobId: string): string {
  return `${action}:${jobId}`;
}

/**
 * Every button value the bot reads, result actions and Cancel alike: `action:runId`, the action one of
 * `actions` and the id a run id (`isRunId`), or undefined. A click carries whatever the clicking client sent,
 * so nothing else (a path, a second `:`, a made-up id) ever reaches the run store or the queue.
 */
export function parseButtonValue<Action extends string>(
  value: string | undefined,
  actions: readonly Action[],
): { action: Action; runId: string } | undefined {
  const [action, runId, ...rest] = (value ?? "").split(":");
  if (rest.length > 0 || runId === undefined || !isRunId(runId)) return undefined;
  const known = actions.find((candidate) => candidate === action);
  return known === undefined ? undefined : { action: known, runId };
}

/** The action and job of a result button, or undefined for anything that is not one of ours. */
export function parseActionValue(
  value: string | undefined,
): { action: ResultAction; jobId: string } | undefined {
  const parsed = parseButtonValue(value, RESULT_ACTIONS);
  return parsed && { action: parsed.action, jobId: parsed.runId };
}

/** A button value that is none of ours (`parseButtonValue`): answered privately, nothing done. */
export function unknownButton(): UserError {
  return userError("button_unknown");
}

/** Where a click comes from: the platform, its server or workspace (none in a Discord DM), who clicked. */
export interface ClickPlace {
  platform: string;
  workspace: string | undefined;
  user: string;
}

/**
 * A button acts only where its run was made: same platform, same Discord server or Slack workspace. A run made
 * outside any server (a Discord DM) belongs to that person's conversation with the bot, so only they act on
 * it, and only outside a server. Anything else (a forwarded message, a crafted click) is refused before
 * anything is queued, deleted or shown.
 * @param origin who asked for the run and where (the job's `user`, kept in the run's metadata); undefined when
 *   the run is unknown, which the action itself reports.
 * @throws `UserError` (`button_elsewhere`) when the click comes from elsewhere.
 */
export function requireSamePlace(origin: JobSpec["user"] | undefined, place: ClickPlace): void {
  if (origin === undefined) return;
  const samePlace = origin.platform === place.platform && origin.workspace === place.workspace;
  const owner = origin.workspace !== undefined || origin.id === place.user;
  if (samePlace && owner) return;
  throw userError("button_elsewhere");
}
