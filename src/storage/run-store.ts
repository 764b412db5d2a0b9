import type { RunCost } from "../budget/job-cost.js";
import { extensionFor } from "../core/content-types.js";
import type { SerializedUserError } from "../core/errors.js";
import type { ImageBytes, Usage } from "../core/images.js";
import type { JobSpec, ReplyTarget, ThreadRef } from "../core/job-spec.js";
import type { ImageRequest } from "../core/request.js";
import type { ThreadStyle } from "../core/thread-style.js";
import type { WebSource } from "../core/web-sources.js";
import type { InputConversion } from "../media/convert.js";
import { type BlobStore, InvalidStorageKeyError } from "./blob-store.js";
import { storageWriteFailed } from "./storage-errors.js";

/**
 * How a run ended: `completed` (made and shown), `delivery_failed` (made and stored, but the platform refused
 * to show it), `failed` (no result); `running` until then (or for good, if its worker died and no other
 * finished it).
 */
/** `cancelled`: the person, an admin or Ctrl-C stopped the run (nothing failed); it has no result either. */
export type RunStatus = "running" | "completed" | "delivery_failed" | "failed" | "cancelled";

/** Everything worth knowing about a run later, minus image bytes. Written to `<runId>/metadata.json`. */
export interface RunMetadata {
  runId: string;
  jobId: string;
  status: RunStatus;
  prompt: string;
  revisedPrompt?: string;
  /** Text the model wrote alongside the image (Responses API). */
  text?: string;
  /** Pages a web search found for a grounded image (`search`), as listed under it. */
  sources?: WebSource[];
  /** The model answered in words instead of drawing (a question in a conversation): `text` is the result. */
  answered?: true;
  model: string;
  request: ImageRequest;
  /** What OpenAI reports it produced, e.g. `1536x1024` and `high` for a request of `auto` and `auto`. */
  size?: string;
  quality?: string;
  /** Every parameter sent to OpenAI, image bytes replaced by names and sizes. */
  sentParameters?: Record<string, unknown>;
  usage?: Usage;
  /** Tokens and dollars, from `usage` (or estimated when OpenAI reported none). */
  cost?: RunCost;
  responseId?: string;
  previousResponseId?: string;
  /** The thread turn this run continued (Responses API), so a re-roll branches from the same place. */
  parentJobId?: string;
  /** Who asked and where the answer went (platform ids, never tokens). */
  origin: { user: JobSpec["user"]; reply: ReplyTarget; thread?: ThreadRef };
  /**
   * Storage keys of the inputs as sent, copied into this run's `inputs/`; `conversions` lists the images sent
   * as PNG because OpenAI does not take their format (HEIC, AVIF, ...), each with the key of the original.
   */
  inputs: { images: string[]; mask?: string; markup?: string; conversions?: InputConversion[] };
  /**
   * The thread's pinned style this run used: its sentence (added to the prompt as sent) and its images as sent,
   * after `inputs.images`.
   */
  style?: ThreadStyle;
  partials: string[];
  finals: string[];
  attempts?: number;
  timings: {
    queuedAt: string;
    startedAt?: string;
    firstPartialAt?: string;
    completedAt?: string;
    /** Milliseconds from start to first partial and to the final, for quick reading. */
    firstPartialMs?: number;
    totalMs?: number;
  };
  error?: SerializedUserError;
  /** A Describe: the prompts proposed for its input image, and that image's size (its "Use" buttons keep the aspect). */
  describe?: { prompts: string[]; image: { width: number; height: number } };
  /**
   * Enhance: the person's prompt and the rewrite the image was made from, with what the rewrite cost (also in
   * `cost`). Written before the image is asked for, so a retried job reuses the rewrite instead of paying again.
   */
  enhance?: { originalPrompt: string; prompt: string; cost: RunCost; usage?: Usage; responseId: string };
}

/** Whether the run's final images exist in its folder, shown or not: what follow-ups and retries reuse. */
export function madeImages(metadata: RunMetadata): boolean {
  return !endedWithoutResult(metadata) && metadata.finals.length > 0;
}

/** Whether a run has a result to show again: its images, or the model's answer in words. */
export function madeResult(metadata: RunMetadata): boolean {
  return madeImages(metadata) || (!endedWithoutResult(metadata) && metadata.answered === true);
}

/** A failed or cancelled run: what it stored (inputs, partials) stays, but nothing in it is a result. */
export function endedWithoutResult(metadata: Pick<RunMetadata, "status">): boolean {
  return metadata.status === "failed" || metadata.status === "cancelled";
}

/**
 * The folder layout of a run: `inputs/`, `partial_<i>.<ext>`, `final_<i>.<ext>`, `metadata.json`.
 * Keys are relative to the blob store's root.
 */
export class RunStore {
  constructor(readonly blobs: BlobStore) {}

  inputKey(runId: string, fileName: string): string {
    return `${runId}/inputs/${fileName}`;
  }

  async putInput(runId: string, fileName: string, bytes: Buffer): Promise<string> {
    const key = this.inputKey(runId, fileName);
    await this.write(key, bytes);
    return key;
  }

  async putPartial(runId: string, index: number, image: ImageBytes): Promise<string> {
    const key = `${runId}/partial_${index}.${extensionFor(image.format)}`;
    await this.write(key, image.bytes);
    return key;
  }

  async putFinal(runId: string, index: number, image: ImageBytes): Promise<string> {
    const key = `${runId}/final_${index}.${extensionFor(image.format)}`;
    await this.write(key, image.bytes);
    return key;
  }

  async putMetadata(metadata: RunMetadata): Promise<string> {
    const key = metadataKey(metadata.runId);
    await this.write(key, `${JSON.stringify(metadata, null, 2)}\n`);
    return key;
  }

  /** Every write of a run: a storage failure becomes `storage_unavailable` (see `storageWriteFailed`). */
  private async write(key: string, bytes: Buffer | string): Promise<void> {
    await this.blobs.put(key, bytes).catch((error: unknown) => {
      throw storageWriteFailed(error);
    });
  }

  /** The run's metadata; throws when it is missing or unreadable. */
  async getMetadata(runId: string): Promise<RunMetadata> {
    return parseMetadata(await this.blobs.get(metadataKey(runId)));
  }

  /**
   * The run's metadata, or `undefined` when the run has none (never stored, or removed). A metadata file
   * that exists but cannot be read or parsed, or a storage failure, throws: it is not "not found".
   */
  async findMetadata(runId: string): Promise<RunMetadata | undefined> {
    const bytes = await this.blobs.find(metadataKey(runId));
    return bytes === undefined ? undefined : parseMetadata(bytes);
  }

  locate(key: string): string {
    return this.blobs.locate(key);
  }

  /** Removes the run's whole folder (inputs, partials, finals, metadata); false when there was none. */
  async remove(runId: string): Promise<boolean> {
    // One folder, never a folder inside another run's.
    if (runId.includes("/")) throw new InvalidStorageKeyError(`"${runId}" is not a run id`);
    return this.blobs.removeFolder(runId);
  }
}

function metadataKey(runId: string): string {
  return `${runId}/metadata.json`;
}

// The JSON boundary: the file is ours, written by `putMetadata`; a damaged one throws `SyntaxError`.
function parseMetadata(bytes: Buffer): RunMetadata {
  return JSON.parse(bytes.toString("utf8")) as RunMetadata;
}
