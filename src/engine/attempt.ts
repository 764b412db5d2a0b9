import { type OpenAI, OpenAIError } from "openai";
import type { OpenAIConfig } from "../config/types.js";
import { errorMessage } from "../core/errors.js";
import type { EngineInputs, ImageBytes, InputFile, Usage } from "../core/images.js";
import type { ImageRequest, OutputFormat } from "../core/request.js";
import { StreamCutError } from "./errors.js";
import type { EngineCallOptions, EngineEvent } from "./events.js";

/** The `final` event minus what only the engine knows (`sentParameters`, `attempts`). */
export type AttemptResult = Omit<
  Extract<EngineEvent, { type: "final" }>,
  "type" | "sentParameters" | "attempts"
>;

/** What one attempt yields: the engine's events, with the final result not yet stamped. */
export type AttemptEvent =
  | Extract<EngineEvent, { type: "partial" | "text" }>
  | { type: "final"; result: AttemptResult };

/** What each API's `prepare…Call` is given: one shape, so the engine picks either by `request.api`. */
export interface CallSpec {
  client: OpenAI;
  config: OpenAIConfig;
  request: ImageRequest;
  inputs: EngineInputs;
  options: EngineCallOptions;
}

/** A request ready to send, as many times as the retries need. */
export interface PreparedCall {
  /** Every parameter sent, image bytes replaced by {@link describeFile}; never a key. */
  sentParameters: Record<string, unknown>;
  /** Log fields that say what kind of call this is. */
  describe: Record<string, unknown>;
  /**
   * One attempt: from scratch (a retried Images API stream starts over, so partials may repeat), or where
   * the last one got to (a Responses API background response).
   */
  attempt(signal: AbortSignal | undefined): AsyncGenerator<AttemptEvent>;
  /**
   * The caller gave up (a cancel), or an `error` event ended the call: stops work OpenAI would go on with, and
   * bill, after the request ends.
   */
  abandon?(): Promise<void>;
}

/** How an input file appears in `sentParameters` and metadata: everything but its bytes. */
export function describeFile(file: InputFile): { name: string; contentType: string; size: number } {
  return { name: file.name, contentType: file.contentType, size: file.bytes.length };
}

/**
 * Turns a failure while reading a stream into a {@link StreamCutError} (retryable), unless it is the SDK
 * reporting something the server said (an SSE `error` event arrives as an `OpenAIError`), which keeps its
 * meaning for the classifier.
 */
export function asStreamCut(error: unknown, requestId: string | undefined): unknown {
  if (error instanceof OpenAIError) return error;
  const reason = errorMessage(error);
  return new StreamCutError(`The stream from OpenAI broke off: ${reason}`, requestId, { cause: error });
}

/**
 * One usage for several completion events (one per image when n > 1). When they repeat the same totals
 * they are one report; otherwise the numeric fields are summed, nested objects included.
 */
export function mergeUsage(usages: Usage[]): Usage | undefined {
  const [first, ...rest] = usages;
  if (first === undefined) return undefined;
  if (rest.every((usage) => JSON.stringify(usage) === JSON.stringify(first))) return first;
  return usages.reduce<Usage>((sum, usage) => addUsage(sum, usage), {});
}

function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    if (typeof value === "number") out[key] = (typeof current === "number" ? current : 0) + value;
    else if (isPlainObject(value)) out[key] = addUsage(isPlainObject(current) ? current : {}, value);
    else out[key] ??= value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Usage {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * An image from OpenAI (base64, or the bytes the stream reader already decoded it to), in the format OpenAI says
 * it used (the requested one when it does not say).
 */
export function decodeImage(
  image: string | Buffer,
  format: string | null | undefined,
  fallback: OutputFormat,
): ImageBytes {
  return {
    bytes: typeof image === "string" ? Buffer.from(image, "base64") : image,
    format: (format as OutputFormat | null | undefined) ?? fallback,
  };
}
