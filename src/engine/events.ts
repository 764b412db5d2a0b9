import type { ImageRequest, OutputFormat } from "../core/request.js";

/** One image as bytes, with the format it is encoded in. */
export interface ImageBytes {
  bytes: Buffer;
  format: OutputFormat;
}

/** An input file for an edit, already checked and (for masks) converted by `src/media/`. */
export interface InputFile {
  /** File name sent in the multipart body, e.g. `image_0.png`. */
  name: string;
  bytes: Buffer;
  /** `image/png`, `image/jpeg` or `image/webp`. */
  contentType: string;
}

export interface EngineInputs {
  /** Zero images: generate. One or more: edit (Images API) or input images (Responses API). */
  images: InputFile[];
  mask?: InputFile;
}

export interface EngineCallOptions {
  signal?: AbortSignal;
  /** Already hashed; never a raw platform user id. */
  safetyIdentifier?: string;
  /** Responses API only: continue the thread's chain. */
  previousResponseId?: string;
}

/** Token usage as OpenAI reports it, kept verbatim for metadata and cost. */
export type Usage = Record<string, unknown>;

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
