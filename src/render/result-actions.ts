/**
 * The buttons under a result, the same on every platform. Each carries only `action:jobId` (Discord's
 * custom id, Slack's button value): the rest is read back from the run folder (`queue/follow-ups.ts`), so a
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

/** The action and job of a button, or undefined for anything that is not one of ours. */
export function parseActionValue(
  value: string | undefined,
): { action: ResultAction; jobId: string } | undefined {
  const [action, jobId, ...rest] = (value ?? "").split(":");
  if (!jobId || rest.length > 0 || !(RESULT_ACTIONS as readonly string[]).includes(action ?? ""))
    return undefined;
  return { action: action as ResultAction, jobId };
}
