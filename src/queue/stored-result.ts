import type { RenderResult } from "../render/renderer.js";
import { formatOfKey, madeImages, type RunMetadata, type RunStore } from "../storage/run-store.js";
import type { JobSpec } from "./job-spec.js";

/**
 * The result a previous attempt of this job already made and stored, if any. A job whose images were made
 * but could not be shown (the platform was down when the final edit was sent) is retried by BullMQ; that
 * retry shows the stored images again instead of paying OpenAI for new ones.
 */
export async function storedResult(
  runs: RunStore,
  spec: JobSpec,
  jobId: string,
): Promise<{ result: RenderResult; metadata: RunMetadata } | undefined> {
  const metadata = await runs.findMetadata(spec.runId);
  if (metadata === undefined || !madeImages(metadata)) return undefined;
  const images = await Promise.all(
    metadata.finals.map(async (key) => ({ bytes: await runs.blobs.get(key), format: formatOfKey(key) })),
  );
  const result: RenderResult = {
    runId: spec.runId,
    jobId,
    request: spec.request,
    images,
    imageKeys: metadata.finals,
    ...(metadata.revisedPrompt ? { revisedPrompt: metadata.revisedPrompt } : {}),
    ...(metadata.text ? { text: metadata.text } : {}),
    ...(metadata.usage ? { usage: metadata.usage } : {}),
    ...(metadata.responseId ? { responseId: metadata.responseId } : {}),
    ...(metadata.size ? { size: metadata.size } : {}),
    ...(metadata.quality ? { quality: metadata.quality } : {}),
  };
  return { result, metadata };
}
