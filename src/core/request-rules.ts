import type { ImagineOptions } from "./imagine-options.js";
import { formatCount, LIMITS } from "./limits.js";
import { MODELS, type ModelCapabilities, modelsWhere } from "./models.js";
import { mustBeWholeNumber } from "./option-messages.js";
import { orList } from "./or-list.js";
import type { ApiMode, Fidelity, OutputFormat, Quality } from "./request.js";
import { type RequestErrorCode, validationError } from "./validation-codes.js";

/** What the rules look at: the resolved choices plus what the person typed (`explicit`). */
export interface RuleContext {
  explicit: ImagineOptions;
  model: ModelCapabilities;
  api: ApiMode;
  format: OutputFormat;
  n: number;
  imageCount: number;
  hasMask: boolean;
}

/** Formats that never stream: no partial images, ever. */
export const NON_STREAMING_FORMATS: readonly OutputFormat[] = ["gif", "svg"];

export function checkPrompt(prompt: string): string {
  if (prompt.trim() === "") {
    throw validationError("prompt_empty", "The prompt is empty; describe the image you want.");
  }
  // UTF-16 units, not code points: an emoji counts twice, so the count errs on the strict side.
  if (prompt.length > LIMITS.promptMaxChars) {
    throw validationError(
      "prompt_too_long",
      `The prompt is ${formatCount(prompt.length)} characters long; the limit is ${formatCount(LIMITS.promptMaxChars)}.`,
      { length: prompt.length },
    );
  }
  return prompt;
}

function checkRange(
  code: RequestErrorCode,
  option: string,
  value: number | undefined,
  { min, max }: { min: number; max: number },
  unit = "",
): void {
  if (value !== undefined && (value < min || value > max)) {
    throw validationError(code, mustBeWholeNumber(option, min, max, value, unit), { option, value });
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

export function checkInputCounts({ model, imageCount, hasMask }: RuleContext): void {
  if (imageCount > model.maxInputImages) {
    throw validationError(
      "too_many_images",
      `You gave ${imageCount} input images; ${model.name} takes at most ${model.maxInputImages}.`,
      { imageCount, max: model.maxInputImages },
    );
  }
  if (hasMask && imageCount === 0) {
    throw validationError(
      "mask_needs_image",
      "A mask marks where to edit the first input image, so it needs at least one image.",
    );
  }
}

/** The Responses API's `image_generation` tool has no `n`: one image per call. */
export function checkApi({ api, n }: RuleContext): void {
  if (api === "responses" && n > 1) {
    throw validationError(
      "responses_single_image",
      `The Responses API makes one image per request: set n to 1 or use api images (got n ${n}).`,
    );
  }
}

export function checkFormat({ model, format, n, imageCount, hasMask, explicit }: RuleContext): void {
  if (!model.formats.includes(format)) {
    const able = modelsWhere((candidate) => candidate.formats.includes(format));
    throw validationError(
      "format_not_supported",
      `Model ${model.name} cannot output ${format}; ${format} needs ${orList(able)}.`,
      { model: model.name, format },
    );
  }
  if (format === "svg" && imageCount > 0) {
    throw validationError(
      "svg_generate_only",
      "SVG output cannot edit images: remove the input images or choose format png, jpeg or webp.",
    );
  }
  if (format === "svg" && n !== 1) {
    throw validationError(
      "svg_single_image",
      `SVG output makes one image per request: set n to 1 (got ${n}).`,
    );
  }
  if (format === "gif" && hasMask) {
    throw validationError(
      "gif_with_mask",
      "GIF output cannot use a mask: remove the mask or choose format png, jpeg or webp.",
    );
  }
  if (NON_STREAMING_FORMATS.includes(format) && (explicit.partials ?? 0) > 0) {
    throw validationError(
      "partials_without_streaming",
      `${format.toUpperCase()} output does not stream, so partials must be 0 (got ${explicit.partials}).`,
    );
  }
  if (format !== "gif" && (explicit.frames !== undefined || explicit.frameMs !== undefined)) {
    throw validationError(
      "frames_need_gif",
      `Options frames and frame-ms only apply to gif output (format is ${format}).`,
    );
  }
}

/**
 * GIF frames must "satisfy the selected model's GIF size limits", which OpenAI does not publish; public
 * measurements put them below every standard size (960x960 for up to 9 frames). Only `auto` is known to fit.
 */
export function checkGifSize(format: OutputFormat, size: string): void {
  if (format === "gif" && size !== "auto") {
    throw validationError(
      "gif_size",
      `GIF output takes size auto only (got ${size}): frames have size limits of their own that OpenAI does not publish.`,
      { size },
    );
  }
}

export function checkQuality(model: ModelCapabilities, quality: Quality): Quality {
  if (model.qualities.includes(quality)) return quality;
  const able = modelsWhere((candidate) => candidate.qualities.includes(quality));
  throw validationError(
    "quality_not_supported",
    `Model ${model.name} does not take quality ${quality}; it takes ${orList(model.qualities)} (${quality} needs ${orList(able)}).`,
    { model: model.name, quality },
  );
}

export function checkCompressionAndBackground({ model, format, explicit }: RuleContext): void {
  if (explicit.compression !== undefined && format !== "jpeg" && format !== "webp") {
    throw validationError(
      "compression_needs_jpeg_or_webp",
      `Option compression only applies to jpeg and webp output (format is ${format}).`,
    );
  }
  if (explicit.background !== "transparent") return;
  if (format !== "png" && format !== "webp") {
    throw validationError(
      "transparent_needs_png_or_webp",
      `A transparent background needs format png or webp (format is ${format}).`,
    );
  }
  if (!model.transparent) {
    const able = modelsWhere((candidate) => candidate.transparent === true);
    throw validationError(
      "transparent_not_supported",
      `Model ${model.name} cannot make transparent backgrounds; use ${orList(able)}.`,
      { model: model.name },
    );
  }
}

/** `fidelity`, `complexity` and `moderation`: parameters only some models or endpoints take. */
export function checkModelParameters({ model, api, imageCount, explicit }: RuleContext): void {
  const fidelity: Fidelity | undefined = explicit.fidelity;
  // Images API: `input_fidelity` exists on edits only. Responses API: a thread's earlier images count as
  // inputs too, which this check cannot see, so it is left to OpenAI there.
  if (fidelity !== undefined && api === "images" && imageCount === 0) {
    throw validationError(
      "fidelity_needs_image",
      "Option fidelity only applies when editing input images; add an image or remove fidelity.",
    );
  }
  if (fidelity !== undefined && !model.fidelities.includes(fidelity)) {
    const able = modelsWhere((candidate) => candidate.fidelities.length > 0).map(
      (name) => `${name} (${MODELS.get(name)?.fidelities.join(", ")})`,
    );
    const takes =
      model.fidelities.length > 0
        ? `it only takes fidelity ${orList(model.fidelities)}`
        : `fidelity is for ${orList(able)}`;
    throw validationError(
      "fidelity_not_supported",
      `Model ${model.name} does not take fidelity ${fidelity}; ${takes}.`,
      { model: model.name, fidelity },
    );
  }
  if (explicit.complexity !== undefined && !model.complexity) {
    const able = modelsWhere((candidate) => candidate.complexity);
    throw validationError(
      "complexity_not_supported",
      `Model ${model.name} does not take complexity; complexity needs ${orList(able)}.`,
      { model: model.name },
    );
  }
  // The Images API's edit endpoint has no `moderation` parameter (SDK and OpenAPI spec); asking for `low`
  // there would silently be ignored, which the person should know before paying.
  if (explicit.moderation === "low" && api === "images" && imageCount > 0) {
    throw validationError(
      "moderation_not_supported_for_edits",
      "The Images API does not take moderation when editing images; remove moderation or use api responses.",
    );
  }
}
