import { blendOptions } from "../core/blend.js";
import { type RequestDefaults, resolveRequest } from "../core/validate-request.js";
import { madeImages, type RunStore } from "../storage/run-store.js";
import { type FollowUp, metadataOf } from "./follow-ups.js";

/**
 * "Blend images" on a bot result: its stored originals (not the copies a chat shows, maybe scaled down to fit an
 * upload limit), blended with the person's defaults.
 * @throws `UserError` (`run_not_found`, `blend_image_count`, a request code) before anything is reserved.
 */
export async function blendRun(runs: RunStore, runId: string, defaults: RequestDefaults): Promise<FollowUp> {
  const metadata = await metadataOf(runs, runId);
  const finals = madeImages(metadata) ? metadata.finals : [];
  const request = resolveRequest(
    blendOptions({}, finals.length),
    { imageCount: finals.length, hasMask: false },
    defaults,
  );
  return { request, storedImageKeys: finals };
}
