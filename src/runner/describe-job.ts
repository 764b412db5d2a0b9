import { userError } from "../core/errors.js";
import { DESCRIBE_SHAPE, describeAsk, describedPrompts } from "../core/studio-asks.js";
import { withoutSafetyIdentifier } from "../engine/safety.js";
import { DEFAULT_MAX_INPUT_PIXELS, inspect } from "../media/decode.js";
import type { RenderResult } from "../render/renderer.js";
import { endedWithoutResult, type RunMetadata } from "../storage/run-store.js";
import { failRun } from "./generate.js";
import { type JobAttempt, rerun } from "./job-attempt.js";
import { loadInputs } from "./load-inputs.js";
import { finishTimings, firstWrite, startRun } from "./run-state.js";
import type { MadeResult } from "./stored-result.js";
import { textCost, textModelOf } from "./text-answer.js";

/** What the renderer shows of a described run (no image: its prompts and the facts). */
export function describedResult(metadata: RunMetadata, jobId: string): RenderResult {
  const prompts = metadata.describe?.prompts ?? [];
  return {
    runId: metadata.runId,
    jobId,
    request: metadata.request,
    images: [],
    imageKeys: [],
    described: { prompts, model: metadata.model },
    ...(metadata.cost ? { cost: metadata.cost } : {}),
  };
}

/**
 * A Describe: the Responses model looks at the job's one input image and proposes prompts that would make
 * it again. A retry of a job whose prompts were stored shows them again instead of asking (and paying) twice.
 */
export async function describeJob(attempt: JobAttempt): Promise<MadeResult> {
  const { job, spec, deps, renderer, signal } = attempt;
  const jobId = job.id ?? spec.runId;
  if (rerun(job)) {
    const earlier = await deps.runs.findMetadata(spec.runId);
    if (earlier?.describe && !endedWithoutResult(earlier)) {
      return { result: describedResult(earlier, jobId), metadata: earlier };
    }
  }
  const run = startRun(attempt);
  const { metadata } = run;
  metadata.model = deps.pricing.responsesModel;
  try {
    await renderer.started(job.stalledCounter > 0);
    await firstWrite(run);
    await run.progress({ stage: "started" });
    const { inputs, keys } = await loadInputs(spec, deps.runs);
    metadata.inputs = keys;
    const image = inputs.images[0];
    if (image === undefined) throw userError("describe_no_image");
    // The image as sent (converted and scaled), read from its header only.
    const { width, height } = await inspect(
      image.bytes,
      { kind: "image", text: image.name },
      DEFAULT_MAX_INPUT_PIXELS,
    );
    const answer = await textModelOf(attempt)({
      ...describeAsk(image),
      safetyIdentifier: await deps.safetyIdentifier(spec.user.platform, spec.user.id),
      ...(signal ? { signal } : {}),
    });
    const prompts = describedPrompts(answer.text);
    Object.assign(metadata, {
      status: "completed",
      describe: { prompts, image: { width, height } },
      cost: textCost(answer.usage, deps.pricing, () => DESCRIBE_SHAPE),
      responseId: answer.responseId,
      sentParameters: withoutSafetyIdentifier(answer.sentParameters),
      attempts: answer.attempts,
      ...(answer.usage ? { usage: answer.usage } : {}),
    });
    finishTimings(metadata, run.startedAt);
    await deps.runs.putMetadata(metadata).catch((error: unknown) => {
      attempt.log.error({ err: error }, "paid description not stored; delivered from memory");
      run.unstored = true;
    });
    return { result: describedResult(metadata, jobId), metadata, unstored: run.unstored };
  } catch (caught) {
    return await failRun(run, caught);
  }
}
