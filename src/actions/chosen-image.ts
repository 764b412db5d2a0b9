import { userError } from "../core/errors.js";
import type { Dimensions } from "../core/size.js";
import { DEFAULT_MAX_INPUT_PIXELS, inspect } from "../media/decode.js";
import { madeImages, type RunMetadata, type RunStore } from "../storage/run-store.js";
import { metadataOf } from "./follow-ups.js";
import type { Press } from "./press-id.js";

/** One stored final of a run, checked to exist: what Finalize, Edit and Use as reference start from. */
export interface ChosenImage {
  metadata: RunMetadata;
  /** From 0; the first image for an id without one (`action:runId`). */
  index: number;
  key: string;
  /** As stored (read from its header), not as the platform showed it. */
  dimensions: Dimensions;
}

/**
 * The image a press names, before anything is reserved or queued: its run must be stored and have made
 * images, the index must be one of them, and the file itself must still be there (retention may have removed
 * the run's finals while a message still shows them).
 * @throws `UserError` `run_not_found`, `run_has_no_image`, `image_index_unknown` or `image_not_kept`.
 */
export async function chosenImage(runs: RunStore, press: Press): Promise<ChosenImage> {
  const metadata = await metadataOf(runs, press.runId);
  if (!madeImages(metadata)) throw userError("run_has_no_image");
  const index = press.image ?? 0;
  const key = metadata.finals[index];
  if (key === undefined) {
    throw userError("image_index_unknown", { image: index + 1, images: metadata.finals.length });
  }
  const bytes = await runs.blobs.find(key);
  if (bytes === undefined) throw userError("image_not_kept", { image: index + 1 });
  // Our own stored output: only its header is read, for the size Finalize keeps the aspect of.
  const { width, height } = await inspect(bytes, { kind: "image", text: key }, DEFAULT_MAX_INPUT_PIXELS);
  return { metadata, index, key, dimensions: { width, height } };
}
