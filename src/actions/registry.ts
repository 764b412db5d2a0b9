import type { Action, PlatformName } from "./action.js";
import { cancel } from "./cancel.js";
import { remove } from "./delete.js";
import { describe, describeUse } from "./describe.js";
import { details } from "./details.js";
import { edit } from "./edit.js";
import { editRegion } from "./edit-region.js";
import { enhance } from "./enhance.js";
import { finalize, finalizeGo } from "./finalize.js";
import { pinStyleAction, unpinStyleAction } from "./pin-style.js";
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
  editRegion,
  reference,
  refine,
  enhance,
  describe,
  pinStyleAction,
  details,
  remove,
  cancel,
  show,
  finalizeGo,
  describeUse,
  unpinStyleAction,
] as const;

export type ActionName = (typeof ACTIONS)[number]["name"];

const NAMES: readonly ActionName[] = ACTIONS.map((action) => action.name);

export function actionNamed(name: ActionName): Action<ActionName> {
  const action = ACTIONS.find((candidate) => candidate.name === name);
  if (action === undefined) throw new Error(`no action named ${name}`);
  return action;
}

/** Whether `name` is pressed only on a private confirmation (Finalize's Confirm), never under a result. */
export function isConfirmation(name: string): boolean {
  return ACTIONS.some((action) => action.name === name && action.offer.under === "confirmation");
}

/** Where buttons are about to be shown. */
export interface ButtonPlace {
  platform: PlatformName;
  under: Action["offer"]["under"];
  /** The message sits in a thread (no thread can be opened from it). */
  inThread?: boolean;
  /**
   * Only the interaction's webhook reaches the message (a private reply, a DM the bot is not in): the bot
   * cannot open a thread on it either.
   */
  webhookOnly?: boolean;
  /** The result's final images are not in the run folder (storage refused them): shown from memory only. */
  unstored?: boolean;
  /** The result is the model's answer in words, with no image: only what needs no image is offered. */
  answer?: boolean;
  /** The web studio is on and reachable (`ActionDeps.editRegion`): what links there is offered. */
  studio?: boolean;
}

/** Whether storage refused a result's finals: it keeps a key for each image it took. */
export function finalsUnstored(result: {
  images: readonly unknown[];
  imageKeys: readonly string[];
}): boolean {
  return result.imageKeys.length < result.images.length;
}

/** The actions shown under a message, from the registry. */
export function offeredActions(where: ButtonPlace): readonly Action<ActionName>[] {
  return ACTIONS.filter(
    ({ offer }) =>
      offer.platforms.includes(where.platform) &&
      offer.under === where.under &&
      !(offer.outsideThreads && (where.inThread || where.webhookOnly)) &&
      !(offer.inOrOnThread && where.webhookOnly) &&
      !(offer.needsStoredFinal && where.unstored) &&
      !(where.answer && !offer.onAnswers) &&
      !(offer.needsStudio && !where.studio),
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

/** Which actions a result shows once under the whole result, and which once under each of its images. */
export interface ResultActions<A extends Action = Action<ActionName>> {
  /** Pressed as `action:runId`: the run as a whole (or, for a single image, that image). */
  whole: readonly A[];
  /** Pressed as `v2:action:runId:image`, one set per image; empty for a single image. */
  perImage: readonly A[];
}

/**
 * Splits `actions` for a result of `images` images: an action on one image (`perImage`) goes under each image
 * of a gallery, everything else under the whole result. A single image keeps every action in today's rows, on
 * `action:runId` ids, so results made before galleries read the same.
 */
export function splitResultActions<A extends Action>(
  actions: readonly A[],
  images: number,
): ResultActions<A> {
  if (images <= 1) return { whole: actions, perImage: [] };
  return {
    whole: actions.filter((action) => !action.perImage),
    perImage: actions.filter((action) => action.perImage),
  };
}

/** The registry's result actions on a platform, split for a result of `images` images. */
export function resultActions(where: Omit<ButtonPlace, "under">, images: number): ResultActions {
  return splitResultActions(offeredActions({ ...where, under: "result" }), images);
}
