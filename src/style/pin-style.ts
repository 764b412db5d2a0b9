import { userError } from "../core/errors.js";
import { isRunId, newRunId } from "../core/run-id.js";
import { STYLE_LIMITS, type ThreadStyle } from "../core/thread-style.js";
import { checkInputHeaders, type RawFile } from "../media/check-inputs.js";
import type { RunStore } from "../storage/run-store.js";
import type { ThreadStyleStore } from "../stores/thread-style.js";
import type { ThreadAddress } from "../stores/threads.js";

/** What pinning needs from the process. */
export interface StyleDeps {
  runs: RunStore;
  styles: ThreadStyleStore;
}

/** An image to pin, not read yet: a result's final in storage, or a file a person attached. */
export interface StyleImageSource {
  name: string;
  read(): Promise<RawFile>;
}

export interface StylePin {
  sentence?: string | undefined;
  images: readonly StyleImageSource[];
}

/** The sentence as pinned: trimmed, within its limit. */
export function checkStyleSentence(sentence: string | undefined): string | undefined {
  const trimmed = sentence?.replace(/\s+/g, " ").trim();
  if (!trimmed) return undefined;
  if (trimmed.length > STYLE_LIMITS.maxSentenceChars) {
    throw userError("style_sentence_too_long", {
      length: trimmed.length,
      max: STYLE_LIMITS.maxSentenceChars,
    });
  }
  return trimmed;
}

function refuseFull(pinned: number, adding: number): never {
  throw userError("style_images_full", { pinned, adding, max: STYLE_LIMITS.maxImages });
}

/**
 * Pins a sentence and images to a thread, cheapest check first: the sentence, the count (nothing read yet),
 * then each image read and its header checked like an edit's input, then copied into a style folder of run
 * storage (a pinned result stays pinned when its run is deleted; retention removes the folder like a run's),
 * then added in one step that refuses a 17th even when two pins race. Costs nothing at OpenAI.
 * @returns what the thread has pinned now.
 */
export async function pinStyle(deps: StyleDeps, address: ThreadAddress, pin: StylePin): Promise<ThreadStyle> {
  const sentence = checkStyleSentence(pin.sentence);
  if (sentence === undefined && pin.images.length === 0) throw userError("style_empty");
  const pinned = (await deps.styles.get(address))?.imageKeys.length ?? 0;
  if (pinned + pin.images.length > STYLE_LIMITS.maxImages) refuseFull(pinned, pin.images.length);
  if (pin.images.length > 0) await pinImages(deps, address, pin.images);
  if (sentence !== undefined) await deps.styles.pinSentence(address, sentence);
  return (await deps.styles.get(address)) ?? { imageKeys: [] };
}

async function pinImages(
  deps: StyleDeps,
  address: ThreadAddress,
  sources: readonly StyleImageSource[],
): Promise<void> {
  const raw: RawFile[] = [];
  for (const source of sources) raw.push(await source.read());
  const checked = await checkInputHeaders(raw);
  const folder = newRunId();
  const keys: string[] = [];
  for (const [index, file] of checked.images.entries()) {
    const extension = file.name.slice(file.name.lastIndexOf("."));
    keys.push(await deps.runs.putInput(folder, `style_${index}${extension}`, file.bytes));
  }
  const outcome = await deps.styles.pinImages(address, keys, STYLE_LIMITS.maxImages);
  if ("refused" in outcome) {
    await deps.runs.remove(folder).catch(() => undefined);
    refuseFull(outcome.pinned, sources.length);
  }
}

/** Unpins the thread's style and removes its copied images; answers what was pinned. */
export async function unpinStyle(deps: StyleDeps, address: ThreadAddress): Promise<ThreadStyle | undefined> {
  const cleared = await deps.styles.clear(address);
  const folders = new Set((cleared?.imageKeys ?? []).map((key) => key.split("/")[0] ?? ""));
  for (const folder of folders) if (isRunId(folder)) await deps.runs.remove(folder).catch(() => false);
  return cleared;
}
