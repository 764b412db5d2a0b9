import type { Action, PlatformName } from "./action.js";
import { cancel } from "./cancel.js";
import { remove } from "./delete.js";
import { details } from "./details.js";
import { edit } from "./edit.js";
import { finalize, finalizeGo } from "./finalize.js";
import { type Press, parsePressId } from "./press-id.js";
import { reference } from "./reference.js";
import { refine } from "./refine.js";
import { reroll } from "./reroll.js";
import { show } from "./show.js";
import { vary } from "./vary.js";

/** Every button the bot reads, in the order they are shown. A new action is a module here and a line below. */
export const ACTIONS = [
  reroll,
  vary,
  finalize,
  edit,
  reference,
  refine,
  details,
  remove,
  cancel,
  show,
  finalizeGo,
] as const;

export type ActionName = (typeof ACTIONS)[number]["name"];

const NAMES: readonly ActionName[] = ACTIONS.map((action) => action.name);

export function actionNamed(name: ActionName): Action<ActionName> {
  const action = ACTIONS.find((candidate) => candidate.name === name);
  if (action === undefined) throw new Error(`no action named ${name}`);
  return action;
}

/** Where buttons are about to be shown. */
export interface ButtonPlace {
  platform: PlatformName;
  under: Action["offer"]["under"];
  /** The message sits in a thread (no thread can be opened from it). */
  inThread?: boolean;
}

/** The actions shown under a message, from the registry. */
export function offeredActions(where: ButtonPlace): readonly Action<ActionName>[] {
  return ACTIONS.filter(
    ({ offer }) =>
      offer.platforms.includes(where.platform) &&
      offer.under === where.under &&
      !(offer.outsideThreads && where.inThread),
  );
}

/**
 * The press an id carries, when it names one of `among` (every action by default) and an image only for an
 * action on one image; undefined for anything else.
 */
export function parsePress(
  id: string | undefined,
  among: readonly ActionName[] = NAMES,
): Press<ActionName> | undefined {
  const press = parsePressId(id);
  const name = among.find((candidate) => candidate === press?.action);
  if (press === undefined || name === undefined) return undefined;
  if (press.image !== undefined && !actionNamed(name).perImage) return undefined;
  return { ...press, action: name };
}
