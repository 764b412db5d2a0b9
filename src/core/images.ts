import type { OutputFormat } from "./request.js";

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
  /** Arrows, circles and notes on a transparent PNG over the first image (Images API edits only). */
  markup?: InputFile;
}

/** Token usage as OpenAI reports it, kept verbatim for metadata and cost. */
export type Usage = Record<string, unknown>;
