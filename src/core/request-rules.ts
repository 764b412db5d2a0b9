import { userError } from "./errors.js";
import type { ImagineOptions } from "./imagine-options.js";
import { LIMITS } from "./limits.js";
import { MODELS, type ModelCapabilities, modelsWhere } from "./models.js";
import type { ApiMode, Fidelity, OutputFormat, Quality } from "./request.js";

/** What the rules look at: the resolved choices plus what the person typed (`explicit`). */
export interface RuleContext {
  explicit: ImagineOptions;
  model: ModelCapabilities;
  api: ApiMode;
  format: OutputFormat;
  n: number;
  imageCount: number;
  hasMask: boolean;
  hasMarkup: boolean;
}

/** Formats that never stream: no partial images, ever. */
export const NON_STREAMING_FORMATS: readonly OutputFormat[] = ["gif", "svg"];

export function checkPrompt(prompt: string): string {
  if (prompt.trim() === "") {
    throw userError("prompt_empty");
  }
  // UTF-16 units, not code points: an emoji counts twice, so the count errs on the strict side.
  if (prompt.length > LIMITS.promptMaxChars) {
    const { length } = prompt;
    throw userError("prompt_too_long", { length, max: LIMITS.promptMaxChars }, { details: { length } });
  }
  return prompt;
}

type RangeCode =
  | "n_out_of_range"
  | "partials_out_of_range"
  | "compression_out_of_range"
  | "frames_out_of_range"
  | "frame_ms_out_of_range";

function checkRange(
  code: RangeCode,
  option: string,
  value: number | undefined,
  { min, max }: { min: number; max: number },
  unit = "",
): void {
  if (value !== undefined && (value < min || value > max)) {
    throw userError(code, { option, min, max, got: value, unit }, { details: { option, value } });
  }
}

/** The documented numeric ranges, each with its own code. */
export function checkRanges(options: ImagineOptions): void {
  checkRange("n_out_of_range", "n", options.n, LIMITS.n);
  checkRange("partials_out_of_range", "partials", options.partials, LIMITS.partials);
  checkRange("compression_out_of_range", "compression", options.compression, LIMITS.compression);
  checkRange("frames_out_of_range", "frames", options.frames, LIMITS.frames);
  checkRange("frame_ms_out_of_range", "frame-ms", options.frameMs, LIMITS.frameMs, "milliseconds");
}

export function checkInputCounts({ model, imageCount, hasMask, hasMarkup }: RuleContext): void {
  if (imageCount > model.maxInputImages) {
    const max = model.maxInputImages;
    throw userError(
      "too_many_images",
      { count: imageCount, max, model: model.name },
      { details: { imageCount, max } },
    );
  }
  if (hasMask && imageCount === 0) {
    throw userError("mask_needs_image");
  }
  if (hasMarkup && imageCount === 0) {
    throw userError("markup_needs_image");
  }
  if (hasMarkup && hasMask) {
    throw userError("markup_with_mask");
  }
}

/** `markup` exists on the Images API's edit endpoint only, for the models the table says take it. */
export function checkMarkup({ model, api, hasMarkup }: RuleContext): void {
  if (!hasMarkup) return;
  if (!model.markup) {
    const able = modelsWhere((candidate) => candidate.markup);
    throw userError("markup_not_supported", { model: model.name, able }, { details: { model: model.name } });
  }
  // The Responses API's image tool has `input_image_mask` but no markup: sent there it would be dropped.
  if (api === "responses") {
    throw userError("markup_needs_images_api");
  }
}

/**
 * Web search is a Responses API tool, and its sources describe one image: `search` asks for the Responses API
 * (`resolveRequest` picks it unless `api` was typed) and one image.
 */
export function checkSearch({ explicit, api, n }: RuleContext): void {
  if (explicit.search !== true) return;
  if (api !== "responses") throw userError("search_needs_responses");
  if (n > 1) throw userError("search_single_image", { n });
}

/** The Responses API's `image_generation` tool has no `n`: one image per call. */
export function checkApi({ api, n }: RuleContext): void {
  if (api === "responses" && n > 1) {
    throw userError("responses_single_image", { n });
  }
}

export function checkFormat({ model, format, n, imageCount, hasMask, explicit }: RuleContext): void {
  if (!model.formats.includes(format)) {
    const able = modelsWhere((candidate) => candidate.formats.includes(format));
    const details = { model: model.name, format };
    throw userError("format_not_supported", { ...details, able }, { details });
  }
  if (format === "svg" && imageCount > 0) {
    throw userError("svg_generate_only");
  }
  if (format === "svg" && n !== 1) {
    throw userError("svg_single_image", { n });
  }
  if (format === "gif" && hasMask) {
    throw userError("gif_with_mask");
  }
  const partials = explicit.partials ?? 0;
  if (NON_STREAMING_FORMATS.includes(format) && partials > 0) {
    throw userError("partials_without_streaming", { format, partials });
  }
  if (format !== "gif" && (explicit.frames !== undefined || explicit.frameMs !== undefined)) {
    throw userError("frames_need_gif", { format });
  }
}

/**
 * GIF frames must "satisfy the selected model's GIF size limits", which OpenAI does not publish; public
 * measurements put them below every standard size (960x960 for up to 9 frames). Only `auto` is known to fit.
 */
export function checkGifSize(format: OutputFormat, size: string): void {
  if (format === "gif" && size !== "auto") {
    throw userError("gif_size", { size }, { details: { size } });
  }
}

export function checkQuality(model: ModelCapabilities, quality: Quality): Quality {
  if (model.qualities.includes(quality)) return quality;
  const able = modelsWhere((candidate) => candidate.qualities.includes(quality));
  const details = { model: model.name, quality };
  throw userError("quality_not_supported", { ...details, takes: model.qualities, able }, { details });
}

export function checkCompressionAndBackground({ model, format, explicit }: RuleContext): void {
  if (explicit.compression !== undefined && format !== "jpeg" && format !== "webp") {
    throw userError("compression_needs_jpeg_or_webp", { format });
  }
  if (explicit.background !== "transparent") return;
  if (format !== "png" && format !== "webp") {
    throw userError("transparent_needs_png_or_webp", { format });
  }
  if (!model.transparent) {
    const able = modelsWhere((candidate) => candidate.transparent === true);
    throw userError(
      "transparent_not_supported",
      { model: model.name, able },
      { details: { model: model.name } },
    );
  }
}

/** `fidelity`, `complexity` and `moderation`: parameters only some models or endpoints take. */
export function checkModelParameters({ model, api, imageCount, explicit }: RuleContext): void {
  const fidelity: Fidelity | undefined = explicit.fidelity;
  // Images API: `input_fidelity` exists on edits only. Responses API: a thread's earlier images count as
  // inputs too, which this check cannot see, so it is left to OpenAI there.
  if (fidelity !== undefined && api === "images" && imageCount === 0) {
    throw userError("fidelity_needs_image");
  }
  if (fidelity !== undefined && !model.fidelities.includes(fidelity)) {
    const able = modelsWhere((candidate) => candidate.fidelities.length > 0).map((name) => ({
      model: name,
      fidelities: MODELS.get(name)?.fidelities ?? [],
    }));
    const details = { model: model.name, fidelity };
    throw userError("fidelity_not_supported", { ...details, takes: model.fidelities, able }, { details });
  }
  if (explicit.complexity !== undefined && !model.complexity) {
    const able = modelsWhere((candidate) => candidate.complexity);
    throw userError(
      "complexity_not_supported",
      { model: model.name, able },
      { details: { model: model.name } },
    );
  }
  // The Images API's edit endpoint has no `moderation` parameter (SDK and OpenAPI spec); asking for `low`
  // there would silently be ignored, which the person should know before paying.
  if (explicit.moderation === "low" && api === "images" && imageCount > 0) {
    throw userError("moderation_not_supported_for_edits");
  }
}
