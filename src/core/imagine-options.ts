import type {
  ApiMode,
  Background,
  Complexity,
  Fidelity,
  ImageRequest,
  Moderation,
  OutputFormat,
  Quality,
} from "./request.js";

/** An input file as a platform names it, before download; the bytes are checked by `src/media/`. */
export interface AttachmentRef {
  /** URL (Discord, Slack) or local path (CLI). */
  source: string;
  name?: string;
  /** Size in bytes when the platform reports it: lets adapters refuse a huge file before downloading it. */
  size?: number;
  contentType?: string;
}

/**
 * The `/imagine` options as the person gave them. Every field but `prompt` is optional and `undefined`
 * means "not given": `resolveRequest` applies defaults, and treats a given value more strictly than a
 * default (an explicit `--partials 2` with gif is an error; the default 2 quietly becomes 0).
 */
export interface ImagineOptions {
  prompt: string;
  model?: string;
  /** `auto` or `WIDTHxHEIGHT`. */
  size?: string;
  quality?: Quality;
  n?: number;
  format?: OutputFormat;
  compression?: number;
  background?: Background;
  moderation?: Moderation;
  partials?: number;
  api?: ApiMode;
  complexity?: Complexity;
  fidelity?: Fidelity;
  /** GIF frame count. */
  frames?: number;
  /** GIF frame duration in milliseconds (option `frame-ms`). */
  frameMs?: number;
  /** Input images (option `image`, repeatable). */
  image?: AttachmentRef[];
  mask?: AttachmentRef;
}

/**
 * A resolved request (or part of one) read back as explicit options, to be checked again: by the worker
 * before it spends anything, by follow-ups that derive a new request from an old one. Fields that zod's
 * types allow to be `undefined` are dropped, since in `ImagineOptions` absence means "not given".
 */
export function requestAsOptions(request: Partial<ImageRequest> & { prompt: string }): ImagineOptions {
  return Object.fromEntries(
    Object.entries(request).filter(([, value]) => value !== undefined),
  ) as unknown as ImagineOptions;
}
