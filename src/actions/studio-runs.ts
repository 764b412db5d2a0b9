import { checkEnhancePrompt } from "../core/enhance-prompt.js";
import { userError } from "../core/errors.js";
import { largestSizeOfAspect } from "../core/final-size.js";
import type { ImagineOptions } from "../core/imagine-options.js";
import { getModel } from "../core/models.js";
import type { ImageRequest } from "../core/request.js";
import { type RequestDefaults, resolveRequest } from "../core/validate-request.js";
import { checkDescribable } from "../media/describable.js";
import type { RunStore } from "../storage/run-store.js";
import { chosenImage } from "./chosen-image.js";
import { type FollowUp, metadataOf, rerollRun } from "./follow-ups.js";
import { type Press, unknownButton } from "./press-id.js";

/** What a Describe run records as its prompt: it has none of its own. */
export const DESCRIBE_PROMPT = "Describe this image";

/** A "Use" button makes a standard size's worth of pixels in the described image's aspect, not the dearest size. */
const USE_PIXELS = 1024 * 1024;

/**
 * A Describe's request: what its "Use" buttons will make (a new image on the person's defaults); its prompt
 * and size are filled in when one is pressed.
 */
export function describeRequest(defaults: RequestDefaults): ImageRequest {
  return resolveRequest({ prompt: DESCRIBE_PROMPT }, { imageCount: 0, hasMask: false }, defaults);
}

/** Describe on a result: that image, read from the run folder, described on the presser's defaults. */
export async function describeImageRun(
  runs: RunStore,
  press: Press,
  defaults: RequestDefaults,
): Promise<FollowUp> {
  const { key, index } = await chosenImage(runs, press);
  const bytes = await runs.blobs.get(key);
  await checkDescribable([{ name: `Image ${index + 1}`, bytes }]);
  return { kind: "describe", request: describeRequest(defaults), storedImageKeys: [key] };
}

/**
 * "Use N" under a Describe: its Nth prompt as an `/imagine` on the Describe's request, at about a million pixels
 * in the described image's aspect.
 */
export async function describedPromptRun(runs: RunStore, press: Press): Promise<FollowUp> {
  const metadata = await metadataOf(runs, press.runId);
  const described = metadata.describe;
  // An id naming a run that is no Describe was not made by us.
  if (described === undefined) throw unknownButton();
  const index = press.image ?? 0;
  const prompt = described.prompts[index];
  if (prompt === undefined) {
    throw userError("describe_prompt_unknown", { prompt: index + 1, prompts: described.prompts.length });
  }
  const { request } = metadata;
  const model = getModel(request.model);
  const options: ImagineOptions = {
    prompt,
    model: model.name,
    api: request.api,
    size: largestSizeOfAspect(described.image, model, USE_PIXELS),
    quality: request.quality,
    format: request.format,
    background: request.background,
    partials: request.partials,
  };
  return { request: resolveRequest(options, { imageCount: 0, hasMask: false }, { model: model.name }) };
}

/** Enhance on a result: the same request on the same inputs, its prompt rewritten first. */
export async function enhanceRun(runs: RunStore, runId: string): Promise<FollowUp> {
  const followUp = await rerollRun(runs, runId);
  checkEnhancePrompt(followUp.request.prompt);
  return { ...followUp, request: { ...followUp.request, enhance: true } };
}
