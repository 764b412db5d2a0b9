import type { RequestShape, RunCost } from "../budget/job-cost.js";
import { userError } from "../core/errors.js";
import type { ImagineOptions } from "../core/imagine-options.js";
import type { ThreadRef } from "../core/job-spec.js";
import { getModel } from "../core/models.js";
import { styleSummary } from "../core/thread-style.js";
import { resolveRequest } from "../core/validate-request.js";
import { withoutSafetyIdentifier } from "../engine/safety.js";
import type { RunToEnqueue } from "../intake/enqueue-run.js";
import { requestShape } from "../intake/submit-request.js";
import { madeImages, type RunMetadata, type RunStore } from "../storage/run-store.js";

/**
 * What the result buttons (Re-roll, Vary, Details, Delete) need from an earlier run, whatever the platform.
 * Buttons carry only their action and run (`press-id.ts`); everything else is read back from the run's
 * `metadata.json`, so they keep working after a restart and across processes.
 */

/** What a follow-up asks the intake for: a checked request on stored inputs; the adapter adds who and where. */
export type FollowUp = Pick<
  RunToEnqueue,
  "request" | "storedImageKeys" | "storedMaskKey" | "storedMarkupKey" | "thread" | "kind"
>;

/** A run whose metadata is gone is `run_not_found`; one that cannot be read is our failure, not theirs. */
export async function metadataOf(runs: RunStore, runId: string): Promise<RunMetadata> {
  const metadata = await runs.findMetadata(runId);
  if (metadata !== undefined) return metadata;
  throw userError("run_not_found", { wanted: "reuse" });
}

/**
 * A thread follow-up branches from the turn the original continued, not from whatever came last: a run
 * that continued no turn (a thread's first) is redone from the root, never from the thread's newest turn.
 */
export function sameThreadPlace(metadata: RunMetadata): ThreadRef | undefined {
  const thread = metadata.origin.thread;
  if (thread === undefined) return undefined;
  // A button makes an image again: only a message typed in the thread may be answered in words.
  const { parentJobId: _parent, fromRoot: _root, mayAnswer: _typed, ...address } = thread;
  return metadata.parentJobId
    ? { ...address, parentJobId: metadata.parentJobId }
    : { ...address, fromRoot: true };
}

/** Re-roll: the same request on the same inputs, for a new result. */
export async function rerollRun(runs: RunStore, runId: string): Promise<FollowUp> {
  const metadata = await metadataOf(runs, runId);
  // A run made on a model retired since cannot be made again as it was: its sentence names the replacement,
  // before any pricing (the retired model has no prices any more).
  getModel(metadata.request.model);
  const thread = sameThreadPlace(metadata);
  return {
    request: metadata.request,
    storedImageKeys: metadata.inputs.images,
    ...(metadata.inputs.mask ? { storedMaskKey: metadata.inputs.mask } : {}),
    ...(metadata.inputs.markup ? { storedMarkupKey: metadata.inputs.markup } : {}),
    ...(thread ? { thread } : {}),
  };
}

/**
 * Vary: an edit of one of the run's results, with the original prompt or a new one. The request is checked
 * again as an edit, after dropping what edits cannot take (SVG output, the Images API's `moderation`), so a
 * variation of any result is valid or fails with the usual clear message. With a `markup` (uploaded beside the
 * request, which carries it to the intake) the edit goes through the Images API, the only one that takes it.
 */
export async function varyRun(
  runs: RunStore,
  runId: string,
  options: { imageIndex?: number; prompt?: string; markup?: boolean } = {},
): Promise<FollowUp> {
  const metadata = await metadataOf(runs, runId);
  const index = options.imageIndex ?? 0;
  const source = metadata.finals[index];
  if (!madeImages(metadata) || source === undefined) {
    throw userError("run_has_no_image");
  }
  // Enhance is not carried over: a prompt typed for the edit is used as typed, and without one the variation
  // keeps the prompt the image was drawn from (an enhanced run's rewrite), paying for no second rewrite.
  const { prompt, moderation, format, compression, enhance: _enhance, ...rest } = metadata.request;
  const still = format === "svg";
  const api = options.markup ? "images" : metadata.request.api;
  // A request's fields are its options' fields with the same values: it is checked again as an edit.
  const editOptions: ImagineOptions = {
    ...rest,
    api,
    prompt: options.prompt?.trim() || metadata.enhance?.prompt || prompt,
    format: still ? "png" : format,
    ...(compression !== undefined && !still ? { compression } : {}),
    ...(api === "responses" ? { moderation } : {}),
  };
  const request = resolveRequest(
    editOptions,
    { imageCount: 1, hasMask: false, hasMarkup: options.markup ?? false },
    {
      model: metadata.request.model,
    },
  );
  return { request, storedImageKeys: [source] };
}

/** What a follow-up asks the intake to price; a platform may yet add the thread it is pressed in. */
export function followUpShape(followUp: FollowUp): RequestShape {
  return requestShape(followUp, followUp.request);
}

/** The platform user id of whoever asked for the run: only they may delete its message. */
export async function requesterOf(runs: RunStore, runId: string): Promise<string> {
  return (await metadataOf(runs, runId)).origin.user.id;
}

export interface RunDetails {
  title: string;
  /** Label and value pairs, short enough for a Discord embed field or a Slack section. */
  fields: Array<[label: string, value: string]>;
  /** The exact parameters sent to OpenAI (image bytes replaced by names and sizes), pretty-printed JSON. */
  parameters: string;
  /** Token usage as OpenAI reported it, pretty-printed JSON, or "not reported". */
  usage: string;
}

const tokens = (count: number) => count.toLocaleString("en-US");

/** A run stored before search prices were per model was priced at $10 per 1,000 calls. */
const STORED_BEFORE_PER_MODEL_SEARCH = 10_000;

/** `$0.2107 from usage: gpt-image-2 7,024 out (7,024 image, 0 text), 40 in (40 text, 0 image)…` */
export function costBreakdown(cost: RunCost): string {
  const parts = [
    `$${cost.dollars.toFixed(4)} ${cost.source === "usage" ? "as OpenAI reported it" : "estimated (no usage reported)"}`,
  ];
  // A Describe or an Enhance rewrite asked the text model alone.
  const imageModelTokens = cost.inputTokens.text + cost.inputTokens.image + cost.outputTokens;
  if (imageModelTokens > 0 || cost.textModel === undefined) {
    parts.push(
      `image model: ${tokens(cost.inputTokens.text)} text + ${tokens(cost.inputTokens.image)} image tokens in, ${tokens(cost.outputTokensDetails.image)} image + ${tokens(cost.outputTokensDetails.text)} text tokens out`,
    );
  }
  if (cost.textModel) {
    const { model, inputTokens, outputTokens } = cost.textModel;
    parts.push(`${model}: ${tokens(inputTokens)} tokens in, ${tokens(outputTokens)} out`);
  }
  if (cost.webSearches) {
    const each = ((cost.webSearchMicro ?? STORED_BEFORE_PER_MODEL_SEARCH) / 1_000_000).toFixed(3);
    parts.push(`web search: ${cost.webSearches} × $${each}`);
  }
  return parts.join("; ");
}

/** The Details view: what was sent, what it cost, how long it took. Shown only to the person who asked. */
export async function runDetails(runs: RunStore, runId: string): Promise<RunDetails> {
  return detailsOf(await metadataOf(runs, runId));
}

/** A run's Details from its metadata: the words every platform shows (the studio's run view too). */
export function detailsOf(metadata: RunMetadata): RunDetails {
  const { timings } = metadata;
  const fields: RunDetails["fields"] = [
    ["Job", metadata.jobId],
    ["Status", metadata.error ? `${metadata.status} (${metadata.error.code})` : metadata.status],
    ["Model", metadata.model],
    // A Describe is a Responses text call whatever its request's image defaults say.
    ["API", metadata.describe ? "responses" : metadata.request.api],
    ["Prompt", metadata.prompt],
  ];
  if (metadata.describe) {
    fields.push(["Prompts", metadata.describe.prompts.map((prompt, i) => `${i + 1}. ${prompt}`).join("\n")]);
  }
  if (metadata.enhance) {
    fields.push(["Enhanced prompt", metadata.enhance.prompt]);
    fields.push(["Enhance cost", costBreakdown(metadata.enhance.cost)]);
  }
  if (metadata.revisedPrompt) fields.push(["Revised prompt", metadata.revisedPrompt]);
  if (metadata.responseId) fields.push(["Response", metadata.responseId]);
  if (metadata.previousResponseId) fields.push(["Continues", metadata.previousResponseId]);
  if (metadata.style) fields.push(["Style", styleSummary(metadata.style).replace(/^📌 Style: /, "")]);
  if (timings.firstPartialMs !== undefined)
    fields.push(["First partial", `${(timings.firstPartialMs / 1000).toFixed(1)} s`]);
  if (timings.totalMs !== undefined) fields.push(["Total", `${(timings.totalMs / 1000).toFixed(1)} s`]);
  if (metadata.attempts !== undefined) fields.push(["Attempts", String(metadata.attempts)]);
  if (metadata.cost) fields.push(["Cost", costBreakdown(metadata.cost)]);
  return {
    title: `Details of ${metadata.jobId}`,
    fields,
    // Runs stored by older releases kept the identifier in their metadata.
    parameters: JSON.stringify(
      metadata.sentParameters ? withoutSafetyIdentifier(metadata.sentParameters) : metadata.request,
      null,
      2,
    ),
    usage: metadata.usage ? JSON.stringify(metadata.usage, null, 2) : "not reported",
  };
}
