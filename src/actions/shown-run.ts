import { formatOfKey } from "../core/content-types.js";
import { userError } from "../core/errors.js";
import type { JobSpec, ReplyTarget } from "../core/job-spec.js";
import { isRunId } from "../core/run-id.js";
import type { RenderResult } from "../render/renderer.js";
import { resultOfRun } from "../runner/stored-result.js";
import { madeImages, type RunMetadata, type RunStore } from "../storage/run-store.js";
import { type ClickPlace, madeHere } from "./same-place.js";

/** A past result read back from its run folder, ready for a platform's renderer (`/show`, the Show button). */
export interface ShownRun {
  metadata: RunMetadata;
  result: RenderResult;
}

/** The run's final images, or undefined when any of them is gone from storage. */
async function finalsOf(runs: RunStore, metadata: RunMetadata): Promise<RenderResult["images"] | undefined> {
  const images = await Promise.all(
    metadata.finals.map(async (key) => {
      const bytes = await runs.blobs.find(key);
      return bytes === undefined ? undefined : { bytes, format: formatOfKey(key) };
    }),
  );
  return images.every((image) => image !== undefined) ? images : undefined;
}

/**
 * The stored result of job `jobId` as its renderer shows a new one, for someone at `place`: anyone in the
 * server or workspace where it was made (it was posted there), a DM's only its requester. An id never made,
 * made elsewhere, forgotten, removed by retention or without an image gets the same sentence; what was typed
 * is checked first, so nothing but a run id reaches the run store.
 * @throws `UserError` `show_id_malformed` or `show_unknown`.
 */
export async function shownRun(runs: RunStore, jobId: string, place: ClickPlace): Promise<ShownRun> {
  const wanted = jobId.trim();
  if (!isRunId(wanted)) throw userError("show_id_malformed");
  const unknown = userError("show_unknown", { jobId: wanted });
  const metadata = await runs.findMetadata(wanted);
  if (metadata === undefined || !madeImages(metadata) || !madeHere(metadata.origin.user, place))
    throw unknown;
  const images = await finalsOf(runs, metadata);
  if (images === undefined) throw unknown;
  // The cost shown is what the run cost when it was made: nothing is spent to show it again.
  const result = { ...resultOfRun(metadata, images), ...(metadata.cost ? { cost: metadata.cost } : {}) };
  return { metadata, result };
}

/**
 * The job a renderer is made for when it shows a past run in a new message: the run's own id (its buttons act
 * on the original), no thread (the new message is no turn of one), no inputs (nothing is generated).
 */
export function shownSpec(shown: ShownRun, reply: ReplyTarget): JobSpec {
  const { metadata } = shown;
  return {
    version: 1,
    runId: metadata.runId,
    request: metadata.request,
    inputs: { images: [] },
    user: metadata.origin.user,
    reply,
    queuedAt: metadata.timings.queuedAt,
  };
}
