import type { EngineInputs } from "../core/images.js";
import { styledRequest } from "../core/thread-style.js";
import type { EngineCallOptions, EngineEvent, ResponseCheckpoint } from "../engine/events.js";
import type { RenderResult } from "../render/renderer.js";
import type { ThreadTurn } from "../stores/threads.js";
import { type FinalContext, onFinal } from "./final-result.js";
import { type JobAttempt, rerun } from "./job-attempt.js";
import type { RunState } from "./run-state.js";

/** Runs the engine, showing and storing what it streams as it comes; its final result. */
export async function streamEngine(
  run: RunState,
  inputs: EngineInputs,
  parent: ThreadTurn | undefined,
): Promise<RenderResult> {
  const { job, spec, deps, renderer, log } = run.attempt;
  // A run after a crash resumes the background response the dead worker started; an Images API request
  // left open by one cannot be resumed, and its generation is counted in the attempts and the cost.
  const resumeFrom =
    spec.request.api === "responses" && rerun(job) ? await deps.progress?.checkpoint(spec.runId) : undefined;
  const lostRequests = (await deps.progress?.opened(spec.runId)) ?? 0;
  const final: FinalContext = {
    inputs,
    parent,
    lostRequests,
    lostGenerations: resumeFrom ? 0 : lostRequests,
  };
  if (resumeFrom) log.info({ responseId: resumeFrom.responseId }, "resuming the background response");
  let result: RenderResult | undefined;
  // Closed however the request ends, with images or an error; only a dead worker leaves it open.
  try {
    const events = deps.engine(
      styledRequest(spec.request, spec.style),
      inputs,
      await engineOptions(run.attempt, parent, resumeFrom),
    );
    for await (const event of events) {
      if (event.type === "partial") await onPartial(run, event, resumeFrom !== undefined);
      else if (event.type === "text") await renderer.text(event.delta);
      else result = await onFinal(run, event, final);
    }
  } finally {
    await Promise.resolve(deps.progress?.closed(spec.runId)).catch((error: unknown) =>
      log.warn({ err: error }, "end of the OpenAI request not recorded"),
    );
  }
  if (result === undefined) throw new Error("The engine ended without a final result");
  return result;
}

async function engineOptions(
  attempt: JobAttempt,
  parent: ThreadTurn | undefined,
  resumeFrom: ResponseCheckpoint | undefined,
): Promise<EngineCallOptions> {
  const { spec, deps, log, signal } = attempt;
  return {
    ...(signal ? { signal } : {}),
    safetyIdentifier: await deps.safetyIdentifier(spec.user.platform, spec.user.id),
    ...(parent ? { previousResponseId: parent.responseId } : {}),
    ...(spec.thread?.mayAnswer && spec.request.api === "responses" ? { mayAnswer: true } : {}),
    resumeFrom,
    onCheckpoint: (checkpoint) =>
      Promise.resolve(deps.progress?.saveCheckpoint(spec.runId, checkpoint)).catch((error: unknown) =>
        log.warn({ err: error }, "response checkpoint not saved"),
      ),
  };
}

async function onPartial(
  run: RunState,
  event: Extract<EngineEvent, { type: "partial" }>,
  resumed: boolean,
): Promise<void> {
  const { spec, deps, renderer, log } = run.attempt;
  const { metadata } = run;
  metadata.timings.firstPartialAt ??= new Date().toISOString();
  // Shown first, stored meanwhile: the write is not on the way to the person's screen (the renderer takes
  // the frame at once and edits in the background). Stored in arrival order: with n > 1 every image's
  // stream counts its partials from 0 again. A resumed response (one image) is stored by its own index: the
  // frames the dead worker stored keep their files. A frame that cannot be stored is still shown: it is a
  // preview, not worth failing a paid job for.
  const index = resumed ? event.index : metadata.partials.length;
  const stored = deps.runs.putPartial(spec.runId, index, event.image);
  await renderer.partial(event.image, event.index);
  const key = await stored.catch((error: unknown) =>
    log.warn({ err: error }, "partial image not stored; shown anyway"),
  );
  if (key !== undefined) metadata.partials.push(key);
  await run.progress({ stage: "partial", index: event.index });
}
