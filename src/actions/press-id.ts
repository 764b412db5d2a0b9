import { type UserError, userError } from "../core/errors.js";
import { isRunId } from "../core/run-id.js";

/** One press of a button: the action, the run it acts on, and for an action on one image, which (from 0). */
export interface Press<Action extends string = string> {
  action: Action;
  runId: string;
  image?: number;
}

/**
 * What a button carries (Discord's custom id, Slack's value): the rest is read back from the run folder or the
 * queue, so a button keeps working after a restart and in any bot process. Two layouts, told apart by a marker:
 * `action:runId`, on every button posted before the marker existed and still the one for a whole run, and
 * `v2:action:runId:image` for an action on one image of the run.
 */
const V2 = "v2";

/** Two digits at most: a run has 10 images at most, and Discord's custom id 100 characters. */
const IMAGE_INDEX = /^(?:0|[1-9][0-9]?)$/;
const ACTION_NAME = /^[a-z][a-z-]*$/;

export function pressId(press: Press): string {
  const { action, runId, image } = press;
  return image === undefined ? `${action}:${runId}` : `${V2}:${action}:${runId}:${image}`;
}

/** The fields of a layout, or undefined when the id has neither. */
function fieldsOf(id: string): string[] | undefined {
  const parts = id.split(":");
  if (parts[0] === V2) return parts.length === 4 ? parts.slice(1) : undefined;
  return parts.length === 2 ? parts : undefined;
}

/**
 * The press an id carries, whatever its action, or undefined. A click carries whatever the clicking client
 * sent, so nothing but a known layout with a run id (`isRunId`) ever reaches the run store or the queue.
 */
export function parsePressId(id: string | undefined): Press | undefined {
  const [action = "", runId = "", image] = fieldsOf(id ?? "") ?? [];
  if (!ACTION_NAME.test(action) || !isRunId(runId)) return undefined;
  if (image === undefined) return { action, runId };
  return IMAGE_INDEX.test(image) ? { action, runId, image: Number(image) } : undefined;
}

/** A press that is none of ours: answered privately, nothing done. */
export function unknownButton(): UserError {
  return userError("button_unknown");
}
