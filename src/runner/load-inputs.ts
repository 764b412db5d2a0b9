import { availableParallelism } from "node:os";
import { basename } from "node:path";
import pLimit from "p-limit";
import { userError } from "../core/errors.js";
import type { EngineInputs, InputFile } from "../core/images.js";
import type { JobSpec } from "../core/job-spec.js";
import { prepareInputs, type RawFile } from "../media/check-inputs.js";
import type { RunMetadata, RunStore } from "../storage/run-store.js";

/**
 * Jobs preparing inputs at once in this process. One 7070x7070 image and mask take about half a gigabyte
 * while decoded, and libvips already spreads one decode over the cores; more at once would only add memory
 * and take libuv's threads from the rest of the process (storage, the gateway in `npm start`).
 */
const preparing = pLimit(Math.max(1, Math.min(2, availableParallelism() - 1)));

/** An input as read: its bytes, and the storage key it was read from. */
type Read = { file: RawFile; own: string };

/**
 * Reads the job's inputs where they are: this run's `inputs/` for new uploads, an earlier run's folder for a
 * re-roll or a variation (referred to, not copied: a re-roll costs no storage), then prepares them for
 * OpenAI (`prepareInputs`: every pixel decoded, converted, scaled, the mask made PNG with alpha). What was
 * re-encoded is stored in this run's `inputs/`, never over what was received, and the run's metadata points
 * at what was sent. An earlier run's input that is gone (deleted, or past RUN_RETENTION_DAYS) fails the job
 * before OpenAI is asked.
 */
export async function loadInputs(
  spec: JobSpec,
  runs: RunStore,
): Promise<{ inputs: EngineInputs; keys: RunMetadata["inputs"]; styleKeys: string[] }> {
  const read = async (key: string, pinned = false) => {
    const bytes = await runs.blobs.find(key);
    if (bytes === undefined) {
      const details = { details: { key } };
      throw pinned
        ? userError("style_image_gone", details)
        : userError("run_not_found", { wanted: "remake" }, details);
    }
    return { file: { name: basename(key), bytes }, own: key };
  };
  const images: Read[] = [];
  for (const key of spec.inputs.images) images.push(await read(key));
  // A thread's pinned style images go after the turn's own (`core/thread-style.ts`).
  const styleKeys = spec.style?.imageKeys ?? [];
  for (const key of styleKeys) images.push(await read(key, true));
  const mask = spec.inputs.mask === undefined ? undefined : await read(spec.inputs.mask);
  const markup = spec.inputs.markup === undefined ? undefined : await read(spec.inputs.markup);
  const { conversions, ...inputs } = await preparing(() =>
    prepareInputs(
      images.map((image) => image.file),
      mask?.file,
      markup ? { markup: markup.file } : {},
    ),
  );
  const store = async (original: string, name: string, fallback: string, bytes: Buffer) => {
    let key = runs.inputKey(spec.runId, name);
    if (key === original) key = runs.inputKey(spec.runId, fallback);
    await runs.blobs.put(key, bytes);
    return key;
  };
  const sent = images.map((image) => image.own);
  for (const conversion of conversions ?? []) {
    const file = inputs.images[conversion.image];
    const original = sent[conversion.image];
    if (file === undefined || original === undefined) continue;
    // Named by position: an earlier run's `final_0.webp` converted is this run's `image_0.png`.
    const extension = file.name.slice(file.name.lastIndexOf("."));
    const fallback = `image_${conversion.image}.converted${extension}`;
    sent[conversion.image] = await store(
      original,
      `image_${conversion.image}${extension}`,
      fallback,
      file.bytes,
    );
    conversion.original = original;
  }
  // The mask as sent (PNG with alpha, at the first image's size as sent) is what a re-roll reuses; likewise
  // the markup, scaled with its image when that was.
  const asSent = (read: Read | undefined, sent: InputFile | undefined, name: string, fallback: string) =>
    read && sent && !sent.bytes.equals(read.file.bytes)
      ? store(read.own, name, fallback, sent.bytes)
      : read?.own;
  const maskSent = await asSent(mask, inputs.mask, "mask.png", "mask.converted.png");
  const markupSent = await asSent(markup, inputs.markup, "markup.png", "markup.scaled.png");
  // The run's own inputs, apart from the style's: a re-roll in the thread reads the style pinned then.
  const own = spec.inputs.images.length;
  return {
    inputs,
    styleKeys: sent.slice(own),
    keys: {
      images: sent.slice(0, own),
      ...(maskSent ? { mask: maskSent } : {}),
      ...(markupSent ? { markup: markupSent } : {}),
      ...(conversions ? { conversions } : {}),
    },
  };
}
