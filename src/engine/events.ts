import type { EngineInputs, ImageBytes, Usage } from "../core/images.js";
import type { ImageRequest } from "../core/request.js";
import type { WebSource } from "../core/web-sources.js";

/** Where a background response got to: enough for a later attempt, in any process, to resume it. */
export interface ResponseCheckpoint {
  responseId: string;
  /** The `sequence_number` of the last event handled; -1 before any. */
  sequence: number;
}

export interface EngineCallOptions {
  signal?: AbortSignal;
  /** Already hashed; never a raw platform user id. */
  safetyIdentifier?: string;
  /** Responses API only: continue the thread's chain. */
  previousResponseId?: string;
  /**
   * Responses API: a turn in a conversation (a refinement thread), where the model may answer a question in
   * text instead of drawing; the final then has no image and the answer as its `text`.
   */
  mayAnswer?: boolean;
  /** Responses API: the background response an earlier run of this job started; resumed, not made again. */
  resumeFrom?: ResponseCheckpoint | undefined;
  /**
   * Responses API: hears where the background response is, once it exists and after each partial shown,
   * so that a run of the job after a crash can resume it. Awaited: the id must be kept before going on.
   */
  onCheckpoint?: (checkpoint: ResponseCheckpoint) => Promise<void>;
}

export type EngineEvent =
  | { type: "partial"; index: number; image: ImageBytes }
  | { type: "text"; delta: string }
  | {
      type: "final";
      images: ImageBytes[];
      usage?: Usage;
      /** Responses API: the id the next turn chains from. */
      responseId?: string;
      revisedPrompt?: string;
      /** Text the model wrote alongside the image (Responses API). */
      text?: string;
      /** Pages a web search found for a grounded image (`search`), each once, capped. */
      sources?: WebSource[];
      /** What OpenAI reports it produced, e.g. `1536x1024`, `high`. */
      size?: string;
      quality?: string;
      /** Every parameter sent, image bytes replaced by names and sizes (for metadata.json). */
      sentParameters: Record<string, unknown>;
      /** HTTP attempts this call made, retries included. */
      attempts: number;
    };

/** The engine's single entry point, whatever the mode. */
export type ImageEngine = (
  request: ImageRequest,
  inputs: EngineInputs,
  options?: EngineCallOptions,
) => AsyncIterable<EngineEvent>;
