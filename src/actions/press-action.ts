import type { JobSpec } from "../core/job-spec.js";
import { findJob } from "../queue/platform-queues.js";
import type { Action, ActionDeps, PressPort } from "./action.js";
import { unknownButton } from "./press-id.js";
import { actionNamed, parsePress } from "./registry.js";
import { requireSamePlace } from "./same-place.js";

/** Who asked for the run: from its folder, or from the queue for a job still waiting or running. */
async function originOf(
  deps: ActionDeps,
  action: Action,
  runId: string,
): Promise<JobSpec["user"] | undefined> {
  if (action.origin === "queue") return (await findJob(deps.queues, runId))?.data.user;
  return (await deps.runs.findMetadata(runId))?.origin.user;
}

/** What someone the action is not for is told; undefined when they may press or the run is unknown (the action says so). */
function refusalFor(
  action: Action,
  origin: JobSpec["user"] | undefined,
  port: PressPort,
  config: ActionDeps["config"],
): string | undefined {
  const pressers = typeof action.pressers === "function" ? action.pressers(config) : action.pressers;
  if (origin === undefined || pressers.kind === "anyone-here" || origin.id === port.place.user)
    return undefined;
  if (pressers.kind === "requester-or-admin" && port.isAdmin()) return undefined;
  return pressers.refusal(origin.id, port.platform);
}

/**
 * Every press on every platform, cheapest check first: the id (none of ours is refused), the access lists
 * (for the actions they cover), the place the run was made, who may press; then the action. Refusals are
 * thrown as `UserError`s for the platform's handler to answer privately, before anything is queued, deleted
 * or shown; a press by someone the action is not for is answered with the action's own sentence. A form's
 * submit (`form`) comes through here again as a press of the same id, so every check is made anew.
 */
export async function pressAction(
  deps: ActionDeps,
  id: string | undefined,
  port: PressPort,
  form?: { prompt: string },
): Promise<void> {
  const press = parsePress(id);
  const action = press && actionNamed(press.action);
  if (press === undefined || !action?.offer.platforms.includes(port.platform)) throw unknownButton();
  if (action.accessListed) port.requireAccess();
  const origin = await originOf(deps, action, press.runId);
  requireSamePlace(origin, port.place);
  const refusal = refusalFor(action, origin, port, deps.config);
  if (refusal !== undefined) return port.answerPrivately(refusal);
  await action.run({ press, port, deps, origin, ...(form ? { prompt: form.prompt } : {}) });
}
