import { runCost, withLostGenerations } from "../budget/job-cost.js";
import type { EngineInputs, ImageBytes } from "../core/images.js";
import { styledRequest } from "../core/thread-style.js";
import type { EngineEvent } from "../engine/events.js";
import { withoutSafetyIdentifier } from "../engine/safety.js";
import type { RenderResult } from "../render/renderer.js";
import type { RunStore } from "../storage/run-store.js";
import type { ThreadTurn } from "../stores/threads.js";
import { pick } from "./pick.js";
import type { RunState } from "./run-state.js";

type FinalEvent = Extract<EngineEvent, { type: "final" }>;

/** What the final's cost depends on besides the event: the request's shape and what earlier runs lost. */
export interface FinalContext {
  inputs: EngineInputs;
  parent: ThreadTurn | undefined;
  /** OpenAI requests earlier runs of this job opened and never closed (their worker died). */
  lostRequests: number;
  /** Of those, the generations paid for again: none when the background response is resumed. */
  lostGenerations: number;
}

/** Stores the paid images and writes down what they cost and how they were made; the result to deliver. */
export async function onFinal(
  run: RunState,
  event: FinalEvent,
  context: FinalContext,
): Promise<RenderResult> {
  const { spec, deps, log } = run.attempt;
  const { metadata } = run;
  const { inputs, parent } = context;
  metadata.finals = await saveFinals(deps.runs, spec.runId, event.images).catch((error: unknown) => {
    log.error({ err: error }, "paid images not stored; delivered from memory");
    run.unstored = true;
    return [];
  });
  const reported = pick(event, [
    "revisedPrompt",
    "text",
    "sources",
    "usage",
    "responseId",
    "size",
    "quality",
  ]);
  const shape = {
    request: styledRequest(spec.request, spec.style),
    imageCount: inputs.images.length,
    hasMask: inputs.mask !== undefined,
    hasMarkup: inputs.markup !== undefined,
    chained: parent !== undefined,
  };
  const cost = withLostGenerations(
    runCost(shape, event.usage, event.images.length, deps.pricing),
    context.lostGenerations,
  );
  // A turn that answered in words: its text is the result, paid for like an image and not made again.
  if (event.images.length === 0) metadata.answered = true;
  Object.assign(
    metadata,
    {
      sentParameters: withoutSafetyIdentifier(event.sentParameters),
      attempts: context.lostRequests + event.attempts,
      cost,
    },
    reported,
  );
  const result: RenderResult = {
    runId: spec.runId,
    jobId: metadata.jobId,
    request: spec.request,
    images: event.images,
    imageKeys: metadata.finals,
    cost,
    ...reported,
  };
  await run.progress({ stage: "final", images: event.images.length });
  return result;
}

export async function saveFinals(runs: RunStore, runId: string, images: ImageBytes[]): Promise<string[]> {
  const keys: string[] = [];
  for (const [index, image] of images.entries()) keys.push(await runs.putFinal(runId, index, image));
  return keys;
}
