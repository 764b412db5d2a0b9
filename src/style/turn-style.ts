import { userError } from "../core/errors.js";
import { getModel } from "../core/models.js";
import type { ImageRequest } from "../core/request.js";
import { styleApplies, styledRequest, type ThreadStyle } from "../core/thread-style.js";
import { resolveRequest } from "../core/validate-request.js";
import type { ThreadStyleStore } from "../stores/thread-style.js";
import type { ThreadAddress } from "../stores/threads.js";

/**
 * The style a turn uses, read once at intake so the reservation prices what the worker sends: the thread's
 * pins, for a Responses turn in a thread that has some. The pinned images come after the turn's own, and the
 * whole must fit the model's input images (and its prompt the model's length), checked here as the worker
 * checks it again.
 * @throws `UserError` `style_too_many_inputs` when the turn's images and the pins are more than the model takes.
 */
export async function turnStyle(
  styles: ThreadStyleStore | undefined,
  thread: ThreadAddress | undefined,
  request: ImageRequest,
  inputs: { imageCount: number; hasMask: boolean },
): Promise<ThreadStyle | undefined> {
  if (styles === undefined || thread === undefined || !styleApplies(request)) return undefined;
  const style = await styles.get(thread);
  if (style === undefined) return undefined;
  const pinned = style.imageKeys.length;
  const max = getModel(request.model).maxInputImages;
  if (inputs.imageCount + pinned > max) {
    throw userError("style_too_many_inputs", { own: inputs.imageCount, pinned, max });
  }
  const counts = { imageCount: inputs.imageCount + pinned, hasMask: inputs.hasMask };
  resolveRequest(styledRequest(request, style), counts, { model: request.model });
  return style;
}
