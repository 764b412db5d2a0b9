import { invalidRequest, invalidType, invalidValue, modelNotFound, unknownParameter } from "./errors.js";
import { RETIRED } from "./models-routes.js";

/** Where the options come from: each endpoint accepts a different set (see the SDK's param types). */
export type Endpoint = "generate" | "edit" | "tool";
export type OutputFormat = "png" | "jpeg" | "webp" | "gif" | "svg";
export type Quality = "low" | "medium" | "high" | "xhigh" | "max";

export interface ImageOptions {
  model: string;
  n: number;
  width: number;
  height: number;
  /** Always `WxH` (the API reports the resolved size, never `auto`). */
  size: string;
  quality: Quality;
  format: OutputFormat;
  compression: number | undefined;
  background: "transparent" | "opaque";
  partialImages: number;
  stream: boolean;
  frameCount: number;
  frameDurationMs: number;
}

const COMMON = [
  "background",
  "complexity",
  "frame_count",
  "frame_duration_ms",
  "model",
  "output_compression",
  "output_format",
  "partial_images",
  "quality",
  "size",
];
const KNOWN: Record<Endpoint, ReadonlySet<string>> = {
  generate: new Set([...COMMON, "prompt", "moderation", "n", "safety_identifier", "stream", "svg", "user"]),
  edit: new Set([
    ...COMMON,
    ...["prompt", "image", "image[]", "images", "mask", "markup", "input_fidelity", "n"],
    ...["safety_identifier", "stream", "user"],
  ]),
  tool: new Set([...COMMON, "type", "action", "input_fidelity", "input_image_mask", "moderation", "svg"]),
};
const FORMATS: Record<Endpoint, readonly OutputFormat[]> = {
  generate: ["png", "jpeg", "webp", "gif", "svg"],
  edit: ["png", "jpeg", "webp", "gif"],
  tool: ["png", "jpeg", "webp", "gif", "svg"],
};
const QUALITIES = ["low", "medium", "high", "xhigh", "max", "auto"] as const;
const MAX_PIXELS = 3840 * 2160;

/** Reads JSON values, or multipart strings (where every value arrives as text). */
class FieldReader {
  constructor(
    private readonly fields: Record<string, unknown>,
    private readonly prefix: string,
    private readonly fromForm: boolean,
  ) {}

  param(name: string): string {
    return `${this.prefix}${name}`;
  }

  raw(name: string): unknown {
    const value = this.fields[name];
    return value === null ? undefined : value;
  }

  string(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined || typeof value === "string") return value;
    throw invalidType(this.param(name), "a string", value);
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) throw invalidValue(this.param(name), value, values);
    return value as T;
  }

  int(name: string, min: number, max: number): number | undefined {
    let value = this.raw(name);
    if (value === undefined) return undefined;
    if (this.fromForm && typeof value === "string" && /^-?\d+$/.test(value)) value = Number(value);
    if (typeof value !== "number" || !Number.isInteger(value))
      throw invalidType(this.param(name), "an integer", value);
    const param = this.param(name);
    if (value > max)
      throw invalidRequest(
        `Invalid '${param}': integer above maximum value. Expected a value <= ${max}, but got ${value} instead.`,
        param,
        "integer_above_max_value",
      );
    if (value < min)
      throw invalidRequest(
        `Invalid '${param}': integer below minimum value. Expected a value >= ${min}, but got ${value} instead.`,
        param,
        "integer_below_min_value",
      );
    return value;
  }

  bool(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined || typeof value === "boolean") return value;
    if (this.fromForm && (value === "true" || value === "false")) return value === "true";
    throw invalidType(this.param(name), "a boolean", value);
  }
}

function parseSize(value: string | undefined, param: string): { width: number; height: number } {
  if (value === undefined || value === "auto") return { width: 1024, height: 1024 };
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(value);
  const bad = (reason: string) =>
    invalidRequest(`Invalid size '${value}'. ${reason}`, param, "invalid_value");
  if (!match) throw bad("Use 'auto' or WIDTHxHEIGHT, for example '1536x864'.");
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width % 16 !== 0 || height % 16 !== 0 || width === 0 || height === 0)
    throw bad("Width and height must both be positive multiples of 16.");
  if (width > 3 * height || height > 3 * width) throw bad("The aspect ratio must be between 1:3 and 3:1.");
  if (Math.max(width, height) > 3840 || width * height > MAX_PIXELS)
    throw bad("The maximum supported resolution is 3840x2160.");
  return { width, height };
}

export interface ParseContext {
  endpoint: Endpoint;
  /** Prefix for error `param`s, e.g. `tools[0].` for the Responses image tool. */
  prefix?: string;
  fromForm?: boolean;
  /** The Responses API takes `stream` at the top level, not in the tool. */
  stream?: boolean;
  /** Whether the API refuses the model today (retired, or past its shutdown date: `models-routes.ts`). */
  gone?: (model: string) => boolean;
}

/** Validates image options the way the API does, and resolves `auto` values. */
export function parseImageOptions(fields: Record<string, unknown>, ctx: ParseContext): ImageOptions {
  const r = new FieldReader(fields, ctx.prefix ?? "", ctx.fromForm ?? false);
  for (const key of Object.keys(fields)) {
    if (!KNOWN[ctx.endpoint].has(key)) throw unknownParameter(r.param(key));
  }
  const model = r.string("model") ?? "gpt-image-2";
  if ((ctx.gone ?? ((name) => RETIRED.has(name)))(model)) throw modelNotFound(model);
  const format = r.oneOf("output_format", FORMATS[ctx.endpoint]) ?? "png";
  const quality = r.oneOf("quality", QUALITIES) ?? "auto";
  if ((quality === "xhigh" || quality === "max") && /^(gpt-image-(1|2)\b|chatgpt-image)/.test(model)) {
    if (!/^gpt-image-2\.[56]/.test(model))
      throw invalidValue(r.param("quality"), quality, QUALITIES.slice(0, 3));
  }
  const background = r.oneOf("background", ["transparent", "opaque", "auto"] as const) ?? "auto";
  const compression = r.int("output_compression", 0, 100);
  const n = ctx.endpoint === "tool" ? 1 : (r.int("n", 1, 10) ?? 1);
  const stream = ctx.stream ?? r.bool("stream") ?? false;
  const partialImages = r.int("partial_images", 0, 3) ?? 0;
  const frameCount = r.int("frame_count", 2, 16);
  const frameDurationMs = r.int("frame_duration_ms", 10, 655_350);
  r.oneOf("moderation", ["auto", "low"] as const);
  r.oneOf("complexity", ["low", "medium", "high"] as const);
  r.oneOf("input_fidelity", ["low", "high"] as const);
  const { width, height } = parseSize(r.string("size"), r.param("size"));

  const reject = (param: string, message: string) => invalidRequest(message, r.param(param));
  if (background === "transparent" && format !== "png" && format !== "webp")
    throw reject(
      "background",
      `Transparent background requires output_format 'png' or 'webp', not '${format}'.`,
    );
  if (compression !== undefined && compression < 100 && format !== "jpeg" && format !== "webp")
    throw reject(
      "output_compression",
      `Compression less than 100 is not supported for ${format.toUpperCase()} output format.`,
    );
  if (format !== "gif" && (frameCount !== undefined || frameDurationMs !== undefined))
    throw reject(
      frameCount === undefined ? "frame_duration_ms" : "frame_count",
      "GIF frame options require output_format 'gif'.",
    );
  if (format === "gif" || format === "svg") {
    const label = format.toUpperCase();
    if (stream) throw reject("stream", `${label} output does not support streaming.`);
    if (partialImages > 0) throw reject("partial_images", `${label} output does not support partial images.`);
    if (compression !== undefined)
      throw reject("output_compression", `${label} output does not support output_compression.`);
  }
  if (format === "svg" && n !== 1) throw reject("n", "SVG output requires n=1.");
  if (fields.svg !== undefined && fields.svg !== null && format !== "svg")
    throw reject("svg", "The svg option requires output_format 'svg'.");

  return {
    model,
    n,
    width,
    height,
    size: `${width}x${height}`,
    quality: quality === "auto" ? "high" : quality,
    format,
    compression,
    background: background === "transparent" ? "transparent" : "opaque",
    partialImages: stream ? partialImages : 0,
    stream,
    frameCount: frameCount ?? 9,
    frameDurationMs: frameDurationMs ?? 200,
  };
}

/** Token usage that grows with quality, size and frames, so cost maths in the engine is exercised. */
export function imageOutputTokens(opts: ImageOptions): number {
  const perMegapixel = { low: 272, medium: 1056, high: 4160, xhigh: 6240, max: 8320 }[opts.quality];
  const frames = opts.format === "gif" ? opts.frameCount : 1;
  return Math.ceil((perMegapixel * opts.width * opts.height * frames) / (1024 * 1024));
}

export function textTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Roughly what a high-fidelity input image costs. */
export const INPUT_IMAGE_TOKENS = 323;
