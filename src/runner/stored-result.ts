import { formatOfKey } from "../core/content-types.js";
import type { JobSpec } from "../core/job-spec.js";
import type { RenderResult } from "../render/renderer.js";
import { madeResult, type RunMetadata, type RunStore } from "../storage/run-store.js";

/** A run's metadata as it starts: nothing made yet. */
export function runningMetadata(spec: JobSpec, jobId: string, startedAt: Date): RunMetadata {
  return {
    runId: spec.runId,
    jobId,
    status: "running",
    prompt: spec.request.prompt,
    model: spec.request.model,
    request: spec.request,
    origin: { user: spec.user, reply: spec.reply, ...(spec.thread ? { thread: spec.thread } : {}) },
    inputs: { images: [] },
    partials: [],
    finals: [],
    timings: { queuedAt: spec.queuedAt, startedAt: startedAt.toISOString() },
  };
}

/** A result in the run folder, and the metadata that says how it was made. */
export interface MadeResult {
  result: RenderResult;
  metadata: RunMetadata;
  /** Storage did not take the final images or their metadata: delivered from memory. */
  unstored?: boolean;
}

/** What a run spent, as the budget ledger counts it: its cost and its final images. */
export const spentBy = (metadata: RunMetadata) => ({
  micro: metadata.cost?.microdollars ?? 0,
  images: metadata.finals.length,
});

/**
 * The result a previous attempt of this job already made and stored, if any. A job whose images were made
 * but could not be shown (the platform was down when the final edit was sent) is retried by BullMQ; that
 * retry shows the stored images again instead of paying OpenAI for new ones.
 */
export async function storedResult(
  runs: RunStore,
  spec: JobSpec,
  jobId: string,
): Promise<MadeResult | undefined> {
  const metadata = await runs.findMetadata(spec.runId);
  if (metadata === undefined || !madeResult(metadata)) return undefined;
  const images = await Promise.all(
    metadata.finals.map(async (key) => ({ bytes: await runs.blobs.get(key), format: formatOfKey(key) })),
  );
  const result = resultOfRun(metadata, images, { runId: spec.runId, jobId, request: spec.request });
  return { result, metadata };
}

/** What a renderer shows of a stored run: its images (read by the caller) and what its metadata says. */
export function resultOfRun(
  metadata: RunMetadata,
  images: RenderResult["images"],
  made: Pick<RenderResult, "runId" | "jobId" | "request"> = metadata,
): RenderResult {
  return {
    runId: made.runId,
    jobId: made.jobId,
    request: made.request,
    images,
    imageKeys: metadata.finals,
    ...(metadata.revisedPrompt ? { revisedPrompt: metadata.revisedPrompt } : {}),
    ...(metadata.text ? { text: metadata.text } : {}),
    ...(metadata.sources ? { sources: metadata.sources } : {}),
    ...(metadata.usage ? { usage: metadata.usage } : {}),
    ...(metadata.responseId ? { responseId: metadata.responseId } : {}),
    ...(metadata.size ? { size: metadata.size } : {}),
    ...(metadata.quality ? { quality: metadata.quality } : {}),
  };
}
