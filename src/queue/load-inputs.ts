import { availableParallelism } from "node:os";
import { basename } from "node:path";
import pLimit from "p-limit";
import type { EngineInputs } from "../engine/events.js";
import { prepareInputs, type RawFile } from "../media/check-inputs.js";
import type { RunMetadata, RunStore } from "../storage/run-store.js";
import type { JobSpec } from "./job-spec.js";

/**
 * Jobs preparing inputs at once in this process. One 7070x7070 image and mask take about half a gigabyte
 * while decoded, and libvips already spreads one decode over the cores; more at once would only add memory
 * and take libuv's threads from the rest of the process (storage, the gateway in `npm start`).
 */
const preparing = pLimit(Math.max(1, Math.min(2, availableParallelism() - 1)));

/**
 * Inputs are named by position (`storeRun` stores new uploads that way), so an earlier run's
 * `final_0.png` and a new upload never share a name.
 */
function ownInputName(key: string, index: number): string {
  const name = basename(key);
  return `image_${index}${name.slice(name.lastIndexOf("."))}`;
}

/**
 * Copies the job's inputs into this run's `inputs/` (so every run folder is complete on its own, even when
 * it edits another run's result), then prepares them for OpenAI (`prepareInputs`: every pixel decoded,
 * converted, scaled, the mask made PNG with alpha). What was re-encoded is stored beside what was received,
 * never over it, and the run's metadata points at what was sent.
 */
export async function loadInputs(
  spec: JobSpec,
  runs: RunStore,
): Promise<{ inputs: EngineInputs; keys: RunMetadata["inputs"] }> {
  const read = async (key: string, ownName: string) => {
    const bytes = await runs.blobs.get(key);
    const own = runs.inputKey(spec.runId, ownName);
    if (key !== own) await runs.blobs.put(own, bytes);
    return { file: { name: basename(key), bytes }, own };
  };
  const images: Array<{ file: RawFile; own: string }> = [];
  for (const [index, key] of spec.inputs.images.entries())
    images.push(await read(key, ownInputName(key, index)));
  const mask =
    spec.inputs.mask === undefined ? undefined : await read(spec.inputs.mask, basename(spec.inputs.mask));
  const { conversions, ...inputs } = await preparing(() =>
    prepareInputs(
      images.map((image) => image.file),
      mask?.file,
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
    const fallback = `image_${conversion.image}.converted${file.name.slice(file.name.lastIndexOf("."))}`;
    sent[conversion.image] = await store(original, file.name, fallback, file.bytes);
    conversion.original = original;
  }
  // The mask as sent (PNG with alpha, at the first image's size as sent) is what a re-roll reuses.
  const maskSent =
    mask && inputs.mask && !inputs.mask.bytes.equals(mask.file.bytes)
      ? await store(mask.own, "mask.png", "mask.converted.png", inputs.mask.bytes)
      : mask?.own;
  return {
    inputs,
    keys: {
      images: sent,
      ...(maskSent ? { mask: maskSent } : {}),
      ...(conversions ? { conversions } : {}),
    },
  };
}
