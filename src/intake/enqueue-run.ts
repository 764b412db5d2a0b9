import { extname } from "node:path";
import { parseImagineOptions } from "../../commands/imagine.js";
import type { EngineInputs } from "../core/images.js";
import type { JobSpec, ReplyTarget, ThreadRef } from "../core/job-spec.js";
import type { ImageRequest } from "../core/request.js";
import { newRunId } from "../core/run-id.js";
import { type RequestDefaults, type RequestInputs, resolveRequest } from "../core/validate-request.js";
import { enqueueImagine, type JobQueues } from "../queue/imagine-queue.js";
import type { RunStore } from "../storage/run-store.js";

/**
 * What every adapter (CLI, Discord, Slack) does between "a person asked" and "a job is queued", in the order
 * that spends least: options first (no download, no OpenAI), then the files, then the queue.
 */

/** Parses raw option values and checks them against the model; counts stand in for files not yet fetched. */
export function checkOptions(
  raw: Record<string, unknown>,
  counts: RequestInputs,
  defaults: RequestDefaults,
): ImageRequest {
  return resolveRequest(parseImagineOptions(raw), counts, defaults);
}

export interface RunToEnqueue {
  request: ImageRequest;
  /** New files, checked by their headers (`checkInputHeaders`): stored under the run's `inputs/`. */
  inputs?: EngineInputs;
  /** Images already in storage (an earlier result to vary or refine), sent before `inputs.images`. */
  storedImageKeys?: string[];
  /** A mask already in storage (a re-roll of an edit), used when `inputs.mask` is absent. */
  storedMaskKey?: string;
  /** A markup already in storage (a re-roll of a markup edit), used when `inputs.markup` is absent. */
  storedMarkupKey?: string;
  user: JobSpec["user"];
  thread?: ThreadRef;
  /** The thread's pinned style as the intake priced it: the worker adds it to the turn. */
  style?: JobSpec["style"];
  reply: ReplyTarget;
  /** What the job makes: absent for images. */
  kind?: JobSpec["kind"];
  /** Chosen by the caller when it must know the id before enqueueing (e.g. to name a button). */
  runId?: string;
}

/**
 * Stores the inputs under a new run and enqueues the job; the job carries storage keys, never bytes. The
 * person's slot and budget are the intake's (`src/intake`), taken before anything is downloaded.
 */
export async function enqueueRun(
  queues: JobQueues,
  runs: RunStore,
  run: RunToEnqueue,
): Promise<{ runId: string }> {
  const runId = run.runId ?? newRunId();
  await enqueueImagine(queues, await storeRun(runs, run, runId));
  return { runId };
}

/**
 * Stores a run's new inputs under its `inputs/` and returns the job that runs it: storage keys, never bytes.
 * Enqueued by `enqueueRun`; the CLI without Redis runs it in its own process.
 */
export async function storeRun(runs: RunStore, run: RunToEnqueue, runId: string): Promise<JobSpec> {
  const stored = run.storedImageKeys ?? [];
  // Named by final position, as the worker names every input of the run.
  const newKeys = await Promise.all(
    (run.inputs?.images ?? []).map((file, index) =>
      runs.putInput(runId, `image_${stored.length + index}${extname(file.name)}`, file.bytes),
    ),
  );
  const mask = run.inputs?.mask;
  const maskKey = mask ? await runs.putInput(runId, mask.name, mask.bytes) : run.storedMaskKey;
  const markup = run.inputs?.markup;
  const markupKey = markup ? await runs.putInput(runId, markup.name, markup.bytes) : run.storedMarkupKey;
  return {
    version: 1,
    runId,
    request: run.request,
    inputs: {
      images: [...stored, ...newKeys],
      ...(maskKey ? { mask: maskKey } : {}),
      ...(markupKey ? { markup: markupKey } : {}),
    },
    user: run.user,
    ...(run.thread ? { thread: run.thread } : {}),
    ...(run.style ? { style: run.style } : {}),
    reply: run.reply,
    ...(run.kind ? { kind: run.kind } : {}),
    queuedAt: new Date().toISOString(),
  };
}
