import { type RequestDefaults, resolveRequest } from "../core/validate-request.js";
import type { RunStore } from "../storage/run-store.js";
import { chosenImage } from "./chosen-image.js";
import { type FollowUp, varyRun } from "./follow-ups.js";
import type { Press } from "./press-id.js";

/** Edit: the chosen image edited with a new prompt, its other options (size, model, quality) kept. */
export async function editImageRun(runs: RunStore, press: Press, prompt: string): Promise<FollowUp> {
  const { index } = await chosenImage(runs, press);
  return varyRun(runs, press.runId, { imageIndex: index, prompt });
}

/**
 * Use as reference: a new image from a new prompt, the chosen image sent as its input; size, quality and
 * the rest are the presser's defaults (theirs, then the bot's), not the original's: the new prompt may want
 * another shape.
 */
export async function referenceRun(
  runs: RunStore,
  press: Press,
  prompt: string,
  defaults: RequestDefaults,
): Promise<FollowUp> {
  const { key } = await chosenImage(runs, press);
  const request = resolveRequest({ prompt }, { imageCount: 1, hasMask: false }, defaults);
  return { request, storedImageKeys: [key] };
}
