import { userError } from "./errors.js";
import { LIMITS } from "./limits.js";
import { isPast, isSoon, shutdownDateOf, todayUtc } from "./model-shutdowns.js";
import type { Fidelity, OutputFormat, Quality } from "./request.js";

/**
 * Which sizes a model takes. `presets`: only `auto` and the three standard sizes. `arbitrary`: any
 * `WIDTHxHEIGHT` passing the general rules (multiples of 16, 1:3..3:1, at most 3840x2160) and the
 * model's own pixel bounds.
 */
export type SizeRule =
  | { kind: "presets" }
  | { kind: "arbitrary"; minPixels: number; maxPixels: number; maxEdge: number };

/** What one model accepts. Validation reads only this table; nothing else knows model names. */
export interface ModelCapabilities {
  name: string;
  /** Set for dated snapshots: the alias they pin (same capabilities). */
  snapshotOf?: string;
  qualities: readonly Quality[];
  sizes: SizeRule;
  /** `input_fidelity` values; empty means the parameter must be omitted. */
  fidelities: readonly Fidelity[];
  /** `background: transparent`; `preview` is accepted, and said so in docs. */
  transparent: boolean | "preview";
  /** `markup` edits (not a `/imagine` option yet; kept so adapters that add it read one table). */
  markup: boolean;
  /** `output_format` values. */
  formats: readonly OutputFormat[];
  /** Whether an explicit `complexity` is accepted. */
  complexity: boolean;
  maxInputImages: number;
  /**
   * Which published token rule prices its images (`src/pricing/tokens.ts`): `gpt-image-2` (OpenAI's calculator
   * formula and 32 px input patches), or `unpublished`, priced by the dearer of that and the older gpt-image-1
   * table so an estimate errs high.
   */
  tokenRule: "gpt-image-2" | "unpublished";
}

/** The only sizes models without arbitrary sizing take ("the standard sizes … are supported by the GPT image models"). */
export const PRESET_SIZES = ["auto", "1024x1024", "1536x1024", "1024x1536"] as const;

const STANDARD_QUALITIES = ["auto", "low", "medium", "high"] as const satisfies readonly Quality[];
const EXTENDED_QUALITIES = [...STANDARD_QUALITIES, "xhigh", "max"] as const satisfies readonly Quality[];
const RASTER_FORMATS = ["png", "jpeg", "webp"] as const satisfies readonly OutputFormat[];

/**
 * Pixel bounds of the arbitrary-size models. The SDK only says "the model's current pixel and edge limits";
 * the numbers (655,360 to 8,294,400 pixels, longest side 3840) are the ones every published gpt-image-2
 * guide quotes, and 8,294,400 is exactly the documented 3840x2160 maximum. The 2.5 models are documented with
 * the identical size paragraph, so they get the same bounds.
 */
const ARBITRARY: SizeRule = {
  kind: "arbitrary",
  minPixels: 655_360,
  maxPixels: LIMITS.maxPixels,
  maxEdge: LIMITS.maxEdge,
};

const GPT_IMAGE_2: Omit<ModelCapabilities, "name"> = {
  qualities: STANDARD_QUALITIES,
  sizes: ARBITRARY,
  // "For gpt-image-2, omit this parameter."
  fidelities: [],
  // "For gpt-image-2 and gpt-image-2-2026-04-21, this support is in preview."
  transparent: "preview",
  markup: false,
  formats: RASTER_FORMATS,
  complexity: false,
  maxInputImages: LIMITS.maxInputImages,
  tokenRule: "gpt-image-2",
};

const GPT_IMAGE_2_5: Omit<ModelCapabilities, "name"> = {
  // "gpt-image-2.5-sunburst and gpt-image-2.5-flare, including their 2026-09-08 snapshots, also support xhigh and max."
  qualities: EXTENDED_QUALITIES,
  sizes: ARBITRARY,
  // input_fidelity was documented for 1.5 and 1-mini only (both retired), and "omit" for gpt-image-2.
  fidelities: [],
  transparent: true,
  // "Supports GPT Image 2.5."
  markup: true,
  formats: RASTER_FORMATS,
  complexity: false,
  maxInputImages: LIMITS.maxInputImages,
  // Launched "at gpt-image-2's prices" with the same size paragraph: its calculator applies.
  tokenRule: "gpt-image-2",
};

/**
 * The 2.6 models appear in the SDK's model lists but in none of the per-feature sentences. Conservative
 * reading: only what "the GPT image models" get (low/medium/high, the three preset sizes, png/jpeg/webp
 * plus 16 inputs), and gif, svg and `complexity`, which arrived with 2.6 (the SDK gates gif/svg on "a model
 * that supports the selected format" and names none; every public 2.6 guide names these two). No
 * xhigh/max, arbitrary sizes, transparency or markup until the SDK says so.
 */
const GPT_IMAGE_2_6: Omit<ModelCapabilities, "name"> = {
  qualities: STANDARD_QUALITIES,
  sizes: { kind: "presets" },
  fidelities: [],
  transparent: false,
  markup: false,
  formats: [...RASTER_FORMATS, "gif", "svg"],
  complexity: true,
  maxInputImages: LIMITS.maxInputImages,
  tokenRule: "unpublished",
};

const table: ModelCapabilities[] = [
  { name: "gpt-image-2", ...GPT_IMAGE_2 },
  { name: "gpt-image-2-2026-04-21", snapshotOf: "gpt-image-2", ...GPT_IMAGE_2 },
  { name: "gpt-image-2.5-sunburst", ...GPT_IMAGE_2_5 },
  { name: "gpt-image-2.5-sunburst-2026-09-08", snapshotOf: "gpt-image-2.5-sunburst", ...GPT_IMAGE_2_5 },
  { name: "gpt-image-2.5-flare", ...GPT_IMAGE_2_5 },
  { name: "gpt-image-2.5-flare-2026-09-08", snapshotOf: "gpt-image-2.5-flare", ...GPT_IMAGE_2_5 },
  { name: "gpt-image-2.6-sunburst", ...GPT_IMAGE_2_6 },
  { name: "gpt-image-2.6-flare", ...GPT_IMAGE_2_6 },
];

/** Every current model, by name. */
export const MODELS: ReadonlyMap<string, ModelCapabilities> = new Map(
  table.map((model) => [model.name, model]),
);

/** Current model names without dated snapshots: what help text and choice lists show. */
export const MODEL_NAMES: readonly string[] = table
  .filter((model) => !model.snapshotOf)
  .map((model) => model.name);

/** Why a name cannot be used (any more, or soon): retired in the table, or the date OpenAI announced for it. */
export interface RetiredModel {
  retiredOn: string;
  /** What to use instead; empty means "any current GPT image model". */
  replacements: readonly string[];
}

/**
 * Names OpenAI no longer serves, with the replacement the SDK (or OpenAI's deprecations page) names. The
 * gpt-image-1.x line and chatgpt-image-latest shut down on 2026-12-01: quality-first uses go to sunburst, the
 * speed-first mini to flare.
 */
export const RETIRED_MODELS: ReadonlyMap<string, RetiredModel> = new Map([
  ["gpt-image-1.5", { retiredOn: "2026-12-01", replacements: ["gpt-image-2.5-sunburst"] }],
  ["gpt-image-1-mini", { retiredOn: "2026-12-01", replacements: ["gpt-image-2.5-flare"] }],
  ["chatgpt-image-latest", { retiredOn: "2026-12-01", replacements: ["gpt-image-2.5-sunburst"] }],
  [
    "gpt-image-1",
    { retiredOn: "2026-10-23", replacements: ["gpt-image-2.5-sunburst", "gpt-image-2.5-flare"] },
  ],
  ["dall-e-2", { retiredOn: "2026-05-12", replacements: [] }],
  ["dall-e-3", { retiredOn: "2026-05-12", replacements: [] }],
]);

/**
 * What a model is for when the operator does not say: Finalize re-renders on the `final` one (FINAL_MODEL
 * overrides), drafts use the `draft` one (DRAFT_MODEL overrides). OpenAI launched the 2.5 pair as "Sunburst,
 * quality- and editing-first" (the only line with xhigh/max and sizes up to 3840x2160) and "Flare, speed-first,
 * up to 50% lower latency", both at gpt-image-2's prices.
 */
export const MODEL_ROLES = { final: "gpt-image-2.5-sunburst", draft: "gpt-image-2.5-flare" } as const;

/**
 * What the bot uses when the operator names nothing: DEFAULT_IMAGE_MODEL's and RESPONSES_MODEL's defaults (the
 * Responses model is a text model, so not a row of the image table above; the price table has its row).
 */
export const DEFAULT_MODELS = { image: "gpt-image-2", responses: "gpt-5.5" } as const;

/** Current models (no snapshots) that satisfy `predicate`, for "use … instead" hints. */
export function modelsWhere(predicate: (model: ModelCapabilities) => boolean): string[] {
  return table.filter((model) => !model.snapshotOf && predicate(model)).map((model) => model.name);
}

/** A current model's announced shutdown date, its own or (for a dated snapshot) its alias's, whichever is first. */
function shutdownOf(model: ModelCapabilities): string | undefined {
  const dates = [shutdownDateOf(model.name), model.snapshotOf && shutdownDateOf(model.snapshotOf)];
  return dates.filter((date): date is string => Boolean(date)).sort()[0];
}

/** Current models (no snapshots) OpenAI still serves today. */
export function liveModelNames(today: string = todayUtc()): string[] {
  return MODEL_NAMES.filter((name) => {
    const date = shutdownDateOf(name);
    return date === undefined || !isPast(date, today);
  });
}

/** What to use instead of a current model that shuts down: the role models still live, else any live model. */
function replacementsFor(model: ModelCapabilities, today: string): string[] {
  const base = model.snapshotOf ?? model.name;
  const live = liveModelNames(today).filter((name) => name !== base);
  const roles = Object.values(MODEL_ROLES).filter((name) => live.includes(name));
  return roles.length > 0 ? [...new Set(roles)] : live;
}

/** Whether `name` is retired or shut down on `today`, and what replaces it; undefined for usable or unknown names. */
export function retirementOf(name: string, today: string = todayUtc()): RetiredModel | undefined {
  const key = name.trim().toLowerCase();
  const model = MODELS.get(key);
  if (model === undefined) return RETIRED_MODELS.get(key);
  const date = shutdownOf(model);
  if (date === undefined || !isPast(date, today)) return undefined;
  return { retiredOn: date, replacements: replacementsFor(model, today) };
}

/** A current model whose shutdown is announced within the notice window: its date and what to use instead. */
export function comingShutdown(name: string, today: string = todayUtc()): RetiredModel | undefined {
  const model = MODELS.get(name.trim().toLowerCase());
  const date = model && shutdownOf(model);
  if (model === undefined || date === undefined || !isSoon(date, today)) return undefined;
  return { retiredOn: date, replacements: replacementsFor(model, today) };
}

/**
 * The capabilities of `name` (case and surrounding spaces ignored).
 * @throws `UserError` `model_retired` naming the date and the replacements (retired in the table, or past the
 * shutdown date OpenAI announced), or `unknown_model` listing current models.
 */
export function getModel(name: string, today: string = todayUtc()): ModelCapabilities {
  const key = name.trim().toLowerCase();
  const retired = retirementOf(key, today);
  if (retired) {
    const { retiredOn, replacements } = retired;
    throw userError(
      "model_retired",
      { model: key, retiredOn, replacements, current: liveModelNames(today) },
      { details: { model: key, replacements } },
    );
  }
  const model = MODELS.get(key);
  if (model) return model;
  throw userError("unknown_model", { name, current: liveModelNames(today) }, { details: { model: name } });
}

/**
 * The model a default names (the person's saved setting, or DEFAULT_IMAGE_MODEL): a retired or shut-down one
 * becomes its first replacement, and says so, instead of failing a job the person did not word that way.
 * @throws `UserError` `unknown_model` for a name that never was a model.
 */
export function defaultModel(
  name: string,
  today: string = todayUtc(),
): { model: ModelCapabilities; replaced?: { model: string; retiredOn: string } } {
  const retired = retirementOf(name, today);
  if (retired === undefined) return { model: getModel(name, today) };
  const live = liveModelNames(today);
  const instead = retired.replacements.find((candidate) => live.includes(candidate)) ?? MODEL_ROLES.final;
  const replaced = { model: name.trim().toLowerCase(), retiredOn: retired.retiredOn };
  return { model: getModel(instead, today), replaced };
}
