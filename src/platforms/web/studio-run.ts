import { costBreakdown, detailsOf } from "../../actions/follow-ups.js";
import type { RunMetadata } from "../../storage/run-store.js";
import type { StudioAction, StudioRun } from "./studio-api.js";

export const WEB_PLATFORM = "web";

/** `/studio/api/runs/<run>/files/<name>`: an image of the run, named as its folder names it. */
export function fileUrl(runId: string, key: string): string {
  const name = key.startsWith(`${runId}/`) ? key.slice(runId.length + 1) : key;
  return `/studio/api/runs/${encodeURIComponent(runId)}/files/${name.split("/").map(encodeURIComponent).join("/")}`;
}

/** The run's metadata as the page shows it: the same facts and words as chat's Details. */
export function studioRunOf(metadata: RunMetadata, actions: StudioAction[] = []): StudioRun {
  const { runId, timings, origin } = metadata;
  const details = detailsOf(metadata);
  const conversation = origin.thread?.platform === WEB_PLATFORM ? origin.thread.thread : undefined;
  return {
    runId,
    status: metadata.status,
    prompt: metadata.enhance?.originalPrompt ?? metadata.prompt,
    ...(metadata.revisedPrompt ? { revisedPrompt: metadata.revisedPrompt } : {}),
    ...(metadata.enhance ? { enhancedPrompt: metadata.enhance.prompt } : {}),
    ...(metadata.text ? { text: metadata.text } : {}),
    model: metadata.model,
    api: metadata.describe ? "responses" : metadata.request.api,
    inputs: metadata.inputs.images.map((key) => fileUrl(runId, key)),
    partials: metadata.partials.map((key) => fileUrl(runId, key)),
    finals: metadata.finals.map((key) => fileUrl(runId, key)),
    ...(metadata.cost ? { cost: costBreakdown(metadata.cost) } : {}),
    details: details.fields.map(([label, value]) => `${label}: ${value}`).join("\n"),
    ...(metadata.error ? { error: metadata.error.message } : {}),
    ...(conversation ? { conversation } : {}),
    jobId: metadata.jobId,
    ...(metadata.parentJobId ? { parentJobId: metadata.parentJobId } : {}),
    actions,
    timings: {
      ...(timings.firstPartialMs !== undefined ? { firstPartialMs: timings.firstPartialMs } : {}),
      ...(timings.totalMs !== undefined ? { totalMs: timings.totalMs } : {}),
    },
    createdAt: timings.queuedAt,
  };
}
