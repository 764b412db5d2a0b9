import type { Action } from "../../actions/action.js";
import { costBreakdown, detailsOf } from "../../actions/follow-ups.js";
import { offeredActions, resultActions } from "../../actions/registry.js";
import type { JobSpec } from "../../core/job-spec.js";
import { endedWithoutResult, madeResult, type RunMetadata } from "../../storage/run-store.js";
import type { StudioAction, StudioRun } from "./studio-api.js";

export const WEB_PLATFORM = "web";

/** `/studio/api/runs/<run>/files/<name>`: an image of the run, named as its folder names it. */
export function fileUrl(runId: string, key: string): string {
  const name = key.startsWith(`${runId}/`) ? key.slice(runId.length + 1) : key;
  return `/studio/api/runs/${encodeURIComponent(runId)}/files/${name.split("/").map(encodeURIComponent).join("/")}`;
}

const shown = (action: Action, image?: number): StudioAction => ({
  name: action.name,
  label: action.label,
  tone: action.tone,
  ...(image !== undefined ? { image } : {}),
});

/** The buttons chat would show with the run, from the one registry: a status's, a result's, a Describe's. */
export function studioActions(metadata: RunMetadata): StudioAction[] {
  if (metadata.status === "running")
    return offeredActions({ platform: "web", under: "status" }).map((a) => shown(a));
  // A Describe's result is its prompts: no image and no answer, yet Use and Details apply to it.
  const described = metadata.describe !== undefined && !endedWithoutResult(metadata);
  if (!madeResult(metadata) && !described) return [];
  const answer = metadata.answered === true || metadata.describe !== undefined;
  const { whole, perImage } = resultActions({ platform: "web", answer }, metadata.finals.length);
  const uses = metadata.describe
    ? metadata.describe.prompts.flatMap((_, prompt) =>
        offeredActions({ platform: "web", under: "description" }).map((a) => shown(a, prompt)),
      )
    : [];
  const perImages = metadata.finals.flatMap((_, image) => perImage.map((a) => shown(a, image)));
  return [...uses, ...whole.map((a) => shown(a)), ...perImages];
}

/** The run's metadata as the page shows it: the same facts and words as chat's Details. */
export function studioRunOf(metadata: RunMetadata, actions = studioActions(metadata)): StudioRun {
  const { runId, timings, origin } = metadata;
  const details = detailsOf(metadata);
  const conversation = origin.thread?.platform === WEB_PLATFORM ? origin.thread.thread : undefined;
  return {
    runId,
    status: metadata.status,
    prompt: metadata.enhance?.originalPrompt ?? metadata.prompt,
    ...(metadata.revisedPrompt ? { revisedPrompt: metadata.revisedPrompt } : {}),
    ...(metadata.enhance ? { enhancedPrompt: metadata.enhance.prompt } : {}),
    ...(metadata.describe ? { described: metadata.describe.prompts } : {}),
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

/** A run still waiting in the queue: it has no folder yet, only its job. */
export function queuedRunOf(spec: JobSpec): StudioRun {
  const conversation = spec.thread?.platform === WEB_PLATFORM ? spec.thread.thread : undefined;
  return {
    runId: spec.runId,
    status: "queued",
    prompt: spec.request.prompt,
    model: spec.request.model,
    api: spec.request.api,
    inputs: spec.inputs.images.map((key) => fileUrl(spec.runId, key)),
    partials: [],
    finals: [],
    details: "",
    ...(conversation ? { conversation } : {}),
    actions: offeredActions({ platform: "web", under: "status" }).map((a) => shown(a)),
    timings: {},
    createdAt: spec.queuedAt,
  };
}
