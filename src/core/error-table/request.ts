import { formatCount } from "../limits.js";
import { orList } from "../or-list.js";
import type { ErrorGroup } from "./entry.js";
import { OPTION_ERRORS, wholeNumber } from "./option.js";
import { SIZE_ERRORS } from "./request-size.js";

/** What a model is, what it takes, and the current models that take what it does not. */
interface ModelParams {
  model: string;
  able: readonly string[];
}

/** Models that take fidelity, each with the fidelities it takes. */
type FidelityModels = readonly { model: string; fidelities: readonly string[] }[];

function fidelityNotSupported(p: {
  model: string;
  fidelity: string;
  takes: readonly string[];
  able: FidelityModels;
}): string {
  const takes =
    p.takes.length > 0
      ? `it only takes fidelity ${orList(p.takes)}`
      : p.able.length > 0
        ? `fidelity is for ${orList(p.able.map((able) => `${able.model} (${able.fidelities.join(", ")})`))}`
        : "no current model takes it, so remove fidelity";
  return `Model ${p.model} does not take fidelity ${p.fidelity}; ${takes}.`;
}

function modelRetired(p: {
  model: string;
  retiredOn: string;
  replacements: readonly string[];
  current: readonly string[];
}) {
  const instead =
    p.replacements.length > 0
      ? `use ${orList(p.replacements)} instead`
      : `use a GPT image model instead (${orList(p.current)})`;
  return `Model ${p.model} was retired on ${p.retiredOn}; ${instead}.`;
}

/** Input counts, checked against the model (`resolveRequest`) and against OpenAI's limit (`prepareInputs`). */
export const COUNT_ERRORS = {
  too_many_images: {
    kind: "invalid_input",
    sentence: ({ count, max, model }: { count: number; max: number; model?: string }) =>
      `You gave ${count} input images; ${model === undefined ? "the limit is" : `${model} takes at most`} ${max}.`,
  },
  mask_needs_image: {
    kind: "invalid_input",
    sentence: "A mask marks where to edit the first input image, so it needs at least one image.",
  },
  markup_needs_image: {
    kind: "invalid_input",
    sentence:
      "A markup is drawn over the first input image to guide the edit, so it needs at least one image.",
  },
  markup_with_mask: {
    kind: "invalid_input",
    sentence: "OpenAI takes a mask or a markup, not both: remove one of them.",
  },
} as const satisfies ErrorGroup;

/** `resolveRequest`: the request as a whole, against the model's capabilities. */
export const REQUEST_ERRORS = {
  invalid_option: OPTION_ERRORS.invalid_option,
  ...COUNT_ERRORS,
  ...SIZE_ERRORS,
  prompt_empty: { kind: "invalid_input", sentence: "The prompt is empty; describe the image you want." },
  prompt_too_long: {
    kind: "invalid_input",
    sentence: ({ length, max }: { length: number; max: number }) =>
      `The prompt is ${formatCount(length)} characters long; the limit is ${formatCount(max)}.`,
  },
  unknown_model: {
    kind: "invalid_input",
    sentence: ({ name, current }: { name: string; current: readonly string[] }) =>
      `Unknown model "${name}"; current models are ${orList(current)}.`,
  },
  model_retired: { kind: "invalid_input", sentence: modelRetired },
  quality_not_supported: {
    kind: "invalid_input",
    sentence: (p: ModelParams & { quality: string; takes: readonly string[] }) =>
      `Model ${p.model} does not take quality ${p.quality}; it takes ${orList(p.takes)} (${p.quality} needs ${orList(p.able)}).`,
  },
  n_out_of_range: { kind: "invalid_input", sentence: wholeNumber },
  partials_out_of_range: { kind: "invalid_input", sentence: wholeNumber },
  compression_out_of_range: { kind: "invalid_input", sentence: wholeNumber },
  frames_out_of_range: { kind: "invalid_input", sentence: wholeNumber },
  frame_ms_out_of_range: { kind: "invalid_input", sentence: wholeNumber },
  partials_without_streaming: {
    kind: "invalid_input",
    sentence: ({ format, partials }: { format: string; partials: number }) =>
      `${format.toUpperCase()} output does not stream, so partials must be 0 (got ${partials}).`,
  },
  compression_needs_jpeg_or_webp: {
    kind: "invalid_input",
    sentence: ({ format }: { format: string }) =>
      `Option compression only applies to jpeg and webp output (format is ${format}).`,
  },
  transparent_needs_png_or_webp: {
    kind: "invalid_input",
    sentence: ({ format }: { format: string }) =>
      `A transparent background needs format png or webp (format is ${format}).`,
  },
  transparent_not_supported: {
    kind: "invalid_input",
    sentence: (p: ModelParams) =>
      `Model ${p.model} cannot make transparent backgrounds; use ${orList(p.able)}.`,
  },
  format_not_supported: {
    kind: "invalid_input",
    sentence: (p: ModelParams & { format: string }) =>
      `Model ${p.model} cannot output ${p.format}; ${p.format} needs ${orList(p.able)}.`,
  },
  frames_need_gif: {
    kind: "invalid_input",
    sentence: ({ format }: { format: string }) =>
      `Options frames and frame-ms only apply to gif output (format is ${format}).`,
  },
  gif_with_mask: {
    kind: "invalid_input",
    sentence: "GIF output cannot use a mask: remove the mask or choose format png, jpeg or webp.",
  },
  gif_size: {
    kind: "invalid_input",
    sentence: ({ size }: { size: string }) =>
      `GIF output takes size auto only (got ${size}): frames have size limits of their own that OpenAI does not publish.`,
  },
  svg_single_image: {
    kind: "invalid_input",
    sentence: ({ n }: { n: number }) => `SVG output makes one image per request: set n to 1 (got ${n}).`,
  },
  svg_generate_only: {
    kind: "invalid_input",
    sentence: "SVG output cannot edit images: remove the input images or choose format png, jpeg or webp.",
  },
  fidelity_not_supported: { kind: "invalid_input", sentence: fidelityNotSupported },
  fidelity_needs_image: {
    kind: "invalid_input",
    sentence: "Option fidelity only applies when editing input images; add an image or remove fidelity.",
  },
  complexity_not_supported: {
    kind: "invalid_input",
    sentence: (p: ModelParams) =>
      `Model ${p.model} does not take complexity; complexity needs ${orList(p.able)}.`,
  },
  moderation_not_supported_for_edits: {
    kind: "invalid_input",
    sentence:
      "The Images API does not take moderation when editing images; remove moderation or use api responses.",
  },
  markup_not_supported: {
    kind: "invalid_input",
    sentence: (p: ModelParams) => `Model ${p.model} does not take a markup; markup needs ${orList(p.able)}.`,
  },
  markup_needs_images_api: {
    kind: "invalid_input",
    sentence: "A markup works with the Images API only: remove api responses, or the markup.",
  },
  search_needs_responses: {
    kind: "invalid_input",
    sentence: "Web search runs on the Responses API: use api responses with search, or leave api out.",
  },
  search_single_image: {
    kind: "invalid_input",
    sentence: ({ n }: { n: number }) => `A search grounds one image: set n to 1 with search (got n ${n}).`,
  },
  responses_single_image: {
    kind: "invalid_input",
    sentence: ({ n }: { n: number }) =>
      `The Responses API makes one image per request: set n to 1 or use api images (got n ${n}).`,
  },
} as const satisfies ErrorGroup;
