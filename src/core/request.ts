import { z } from "zod";

/**
 * The closed sets of option values, shared by `commands/`, validation and the engine. Which model accepts
 * which value is the capability table's business (`models.ts`); these are the union of everything any
 * current model accepts.
 */
export const API_MODES = ["images", "responses"] as const;
export const QUALITIES = ["auto", "low", "medium", "high", "xhigh", "max"] as const;
export const OUTPUT_FORMATS = ["png", "jpeg", "webp", "gif", "svg"] as const;
export const BACKGROUNDS = ["auto", "opaque", "transparent"] as const;
export const MODERATIONS = ["auto", "low"] as const;
export const COMPLEXITIES = ["low", "medium", "high"] as const;
export const FIDELITIES = ["low", "high"] as const;

export type ApiMode = (typeof API_MODES)[number];
export type Quality = (typeof QUALITIES)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type Background = (typeof BACKGROUNDS)[number];
export type Moderation = (typeof MODERATIONS)[number];
export type Complexity = (typeof COMPLEXITIES)[number];
export type Fidelity = (typeof FIDELITIES)[number];

/**
 * A fully resolved image request: every option has its final value (defaults applied), and the whole
 * has passed `validateRequest`. This is what travels in a job and what the engine turns into API
 * parameters. Input images are not here: they are storage keys on the job, bytes in the engine call.
 */
export const ImageRequestSchema = z.object({
  prompt: z.string(),
  model: z.string(),
  api: z.enum(API_MODES),
  /** `auto` or `WIDTHxHEIGHT`. */
  size: z.string(),
  quality: z.enum(QUALITIES),
  n: z.number().int(),
  format: z.enum(OUTPUT_FORMATS),
  /** Only for jpeg/webp; absent means the API default (100). */
  compression: z.number().int().optional(),
  background: z.enum(BACKGROUNDS),
  moderation: z.enum(MODERATIONS),
  /** 0–3; 0 still streams in one event when the mode streams at all. */
  partials: z.number().int(),
  complexity: z.enum(COMPLEXITIES).optional(),
  fidelity: z.enum(FIDELITIES).optional(),
  /** GIF only. */
  frames: z.number().int().optional(),
  /** GIF only. */
  frameMs: z.number().int().optional(),
  /** Responses API: the model may search the web (`web_search` tool) before drawing; its sources are listed. */
  search: z.literal(true).optional(),
  /** Asked for as a draft (`draft`): said on the result; never sent to OpenAI. */
  draft: z.literal(true).optional(),
  /**
   * Set when a default (the person's saved setting, or the operator's DEFAULT_IMAGE_MODEL) named a retired or
   * shut-down model and `model` is its replacement: the result says so.
   */
  modelReplaced: z
    .object({ model: z.string(), retiredOn: z.string(), from: z.enum(["settings", "operator"]) })
    .optional(),
});
export type ImageRequest = z.infer<typeof ImageRequestSchema>;

/** Whether a validated request streams (GIF and SVG never do; see DESIGN.md). */
export function streams(request: Pick<ImageRequest, "format">): boolean {
  return request.format !== "gif" && request.format !== "svg";
}
