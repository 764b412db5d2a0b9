import type { ImageRequest } from "../core/request.js";
import { enhanceAsk, enhanceShape } from "../core/studio-asks.js";
import { addCosts } from "../pricing/text-call.js";
import type { RenderResult } from "../render/renderer.js";
import type { RunMetadata } from "../storage/run-store.js";
import { rerun } from "./job-attempt.js";
import type { RunState } from "./run-state.js";
import { textCost, textModelOf } from "./text-answer.js";

/**
 * The rewrite an earlier attempt of this job paid for, read before the run's first write replaces its
 * metadata: a retry makes the image from it instead of asking (and paying) again.
 */
export async function earlierRewrite(run: RunState): Promise<RunMetadata["enhance"]> {
  const { job, spec, deps } = run.attempt;
  if (!spec.request.enhance || !rerun(job)) return undefined;
  return (await deps.runs.findMetadata(spec.runId))?.enhance;
}

/**
 * The request the image is made from: as asked, or with `enhance` its prompt rewritten by the Responses model
 * first. The rewrite is written to `metadata.json` before the image is asked for.
 */
export async function requestToDraw(run: RunState): Promise<ImageRequest> {
  const { spec, deps, signal } = run.attempt;
  const { request } = spec;
  if (!request.enhance) return request;
  if (run.metadata.enhance === undefined) {
    const answer = await textModelOf(run.attempt)({
      ...enhanceAsk(request.prompt),
      safetyIdentifier: await deps.safetyIdentifier(spec.user.platform, spec.user.id),
      ...(signal ? { signal } : {}),
    });
    run.metadata.enhance = {
      originalPrompt: request.prompt,
      prompt: answer.text,
      cost: textCost(answer.usage, deps.pricing, () => enhanceShape(request.prompt)),
      responseId: answer.responseId,
      ...(answer.usage ? { usage: answer.usage } : {}),
    };
    await deps.runs.putMetadata(run.metadata);
  }
  return { ...request, prompt: run.metadata.enhance.prompt };
}

/**
 * What a run paid before its images were asked for (an enhanced prompt's rewrite), in microdollars: a run
 * that then fails or is stopped still cost that much, so its reservation is settled to it and the person told.
 */
export function paidBeforeImages(metadata: Pick<RunMetadata, "enhance"> | undefined): number {
  return metadata?.enhance?.cost.microdollars ?? 0;
}

/** The image's cost with the rewrite's added, and the rewrite on the result the person sees. */
export function withRewrite(metadata: RunMetadata, result: RenderResult): void {
  const rewrite = metadata.enhance;
  if (rewrite === undefined) return;
  result.enhancedPrompt = rewrite.prompt;
  if (metadata.cost === undefined) return;
  metadata.cost = { ...addCosts(metadata.cost, rewrite.cost), source: metadata.cost.source };
  result.cost = metadata.cost;
}
