import { checkEnhancePrompt } from "./enhance-prompt.js";
import { isUserError } from "./errors.js";
import type { ImagineOptions } from "./imagine-options.js";
import { defaultModel, getModel } from "./models.js";
import { checkOptionValues } from "./option-values.js";
import type { ApiMode, ImageRequest, OutputFormat, Quality } from "./request.js";
import {
  checkApi,
  checkCompressionAndBackground,
  checkFormat,
  checkGifSize,
  checkInputCounts,
  checkMarkup,
  checkModelParameters,
  checkPrompt,
  checkQuality,
  checkRanges,
  checkSearch,
  NON_STREAMING_FORMATS,
  type RuleContext,
} from "./request-rules.js";
import { checkSize } from "./size.js";

/**
 * Defaults below the person's explicit options: the configured model, later per-user preferences. Built-in
 * defaults (size auto, quality auto, png, Images API, …) apply below these.
 */
export interface RequestDefaults {
  model: string;
  /** The model of drafts (`DRAFT_MODEL`); the default model when absent. */
  draftModel?: string;
  /** Drafts unless the request says otherwise (a person's `/settings`). */
  draft?: boolean;
  /** Whose default `model` is: the person's saved setting, or (when absent) the operator's. */
  modelFrom?: "settings" | "operator";
  api?: ApiMode;
  size?: string;
  quality?: Quality;
  format?: OutputFormat;
}

/** What the request will carry besides options: counted before download so nothing is fetched in vain. */
export interface RequestInputs {
  imageCount: number;
  hasMask: boolean;
  /** A `markup` overlay on the first image (absent: none). */
  hasMarkup?: boolean;
}

/** Partial images when the mode streams and the person did not say: enough to show progress. */
const DEFAULT_STREAMING_PARTIALS = 2;

/** The preference fields that yield to built-in defaults when they clash with explicit options. */
const PREFERENCE_FIELDS = ["format", "size", "quality", "api"] as const;

/**
 * Applies defaults and checks every documented rule, so nothing OpenAI would refuse is ever paid for or
 * queued. Explicit options are checked strictly. A default from `defaults` that clashes with them (a saved
 * `quality xhigh` with `model gpt-image-2`) yields to the built-in default instead of failing a command
 * that is valid as typed.
 * @throws `UserError` of kind `invalid_input` with a code from `REQUEST_ERROR_CODES`.
 */
export function resolveRequest(
  options: ImagineOptions,
  inputs: RequestInputs,
  defaults: RequestDefaults,
): ImageRequest {
  checkOptionValues(options);
  checkRanges(options);
  const preferences = PREFERENCE_FIELDS.filter(
    (field) => options[field] === undefined && defaults[field] !== undefined,
  );
  try {
    return resolveWith(options, inputs, defaults);
  } catch (error) {
    if (!isUserError(error) || preferences.length === 0) throw error;
  }
  // Drop as few preferences as possible; the last attempt drops them all, so its error (if any) is about the
  // explicit options alone. At most 15 attempts, each pure and cheap.
  for (const dropped of subsetsBySize(preferences)) {
    const kept: RequestDefaults = { ...defaults };
    for (const field of dropped) delete kept[field];
    try {
      return resolveWith(options, inputs, kept);
    } catch (error) {
      if (!isUserError(error) || dropped.length === preferences.length) throw error;
    }
  }
  throw new Error("unreachable: the last subset drops every preference");
}

/** Non-empty subsets of `items`, smallest first. */
function subsetsBySize<T>(items: readonly T[]): T[][] {
  const subsets: T[][] = [];
  for (let mask = 1; mask < 1 << items.length; mask++) {
    subsets.push(items.filter((_, index) => (mask >> index) & 1));
  }
  return subsets.sort((a, b) => a.length - b.length);
}

function resolveWith(
  options: ImagineOptions,
  inputs: RequestInputs,
  defaults: RequestDefaults,
): ImageRequest {
  if (options.enhance === true) checkEnhancePrompt(options.prompt);
  const prompt = checkPrompt(options.prompt);
  // A model the person typed is theirs to fix; a default naming a retired one is mapped (and said). A draft
  // fills only what the person did not give: the draft model over any default, low quality.
  const draft = options.draft ?? defaults.draft ?? false;
  const draftModel = draft ? defaults.draftModel : undefined;
  const chosen =
    options.model !== undefined
      ? { model: getModel(options.model) }
      : defaultModel(draftModel ?? defaults.model);
  const model = chosen.model;
  const format = options.format ?? defaults.format ?? "png";
  const context: RuleContext = {
    explicit: options,
    model,
    // A search runs on the Responses API: asking for one picks it over a saved or built-in default.
    api: options.api ?? (options.search ? "responses" : (defaults.api ?? "images")),
    format,
    n: options.n ?? 1,
    imageCount: inputs.imageCount,
    hasMask: inputs.hasMask,
    hasMarkup: inputs.hasMarkup ?? false,
  };
  checkInputCounts(context);
  checkFormat(context);
  checkSearch(context);
  checkApi(context);
  checkMarkup(context);
  const size = checkSize(options.size ?? defaults.size ?? "auto", model);
  checkGifSize(format, size);
  const quality = checkQuality(model, options.quality ?? (draft ? "low" : defaults.quality) ?? "auto");
  checkCompressionAndBackground(context);
  checkModelParameters(context);

  const streaming = !NON_STREAMING_FORMATS.includes(format);
  return {
    prompt,
    model: model.name,
    api: context.api,
    size,
    quality,
    n: context.n,
    format,
    ...(options.compression === undefined ? {} : { compression: options.compression }),
    background: options.background ?? "auto",
    moderation: options.moderation ?? "auto",
    partials: streaming ? (options.partials ?? DEFAULT_STREAMING_PARTIALS) : 0,
    ...(options.complexity === undefined ? {} : { complexity: options.complexity }),
    ...(options.fidelity === undefined ? {} : { fidelity: options.fidelity }),
    ...(options.frames === undefined ? {} : { frames: options.frames }),
    ...(options.frameMs === undefined ? {} : { frameMs: options.frameMs }),
    ...(options.search ? { search: true as const } : {}),
    ...(draft ? { draft: true as const } : {}),
    ...(options.enhance === true ? { enhance: true as const } : {}),
    ...(chosen.replaced
      ? {
          modelReplaced: {
            ...chosen.replaced,
            from: draftModel === undefined ? (defaults.modelFrom ?? "operator") : "operator",
          },
        }
      : {}),
  };
}
