import type { ImagineOptions } from "../core/imagine-options.js";
import type { JobSpec, ThreadRef } from "../core/job-spec.js";
import type { ImageRequest } from "../core/request.js";
import type { RequestDefaults } from "../core/validate-request.js";
import type { RawFile } from "../media/check-inputs.js";

/**
 * A file a person attached, not fetched yet: the intake counts it with the options and downloads it only
 * once they pass. `download` is the platform's capped fetch (its hosts, its token).
 */
export interface AttachmentRef {
  name: string;
  download(): Promise<RawFile>;
}

/** What a person asked for, whatever the platform: options, files, who and where. */
export interface IntakeRequest {
  /**
   * Option values, raw (Slack's flags) or parsed (a Discord command), with the defaults to resolve them
   * against, or a request already checked (a Re-roll or Vary read back from an earlier run).
   */
  ask:
    | { raw: Record<string, unknown>; defaults: RequestDefaults }
    | { options: ImagineOptions; defaults: RequestDefaults }
    | { request: ImageRequest };
  /** New input images, sent after `storedImageKeys`. */
  images?: readonly AttachmentRef[];
  mask?: AttachmentRef | undefined;
  /** Images already in run storage (an earlier result to vary or refine), sent first. */
  storedImageKeys?: readonly string[] | undefined;
  /** A mask already in run storage (a re-roll of an edit). */
  storedMaskKey?: string | undefined;
  /** A transparent PNG of strokes and notes over the first image, guiding the edit. */
  markup?: AttachmentRef | undefined;
  /** A markup already in run storage (a re-roll of a markup edit). */
  storedMarkupKey?: string | undefined;
  user: JobSpec["user"];
  /** The conversation the run continues; a platform may also name it when the status is posted. */
  thread?: ThreadRef | undefined;
  /** A Describe of its one image (`ask` is then the request its "Use" buttons start from); absent: images. */
  kind?: JobSpec["kind"];
}
