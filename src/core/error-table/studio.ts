import type { ErrorGroup } from "./entry.js";

/** The longest prompt Enhance rewrites: a rewrite of more would be a summary, and its answer would not fit. */
export const ENHANCE_MAX_PROMPT = 4_000;

/** Describe (the model proposes prompts for an image) and Enhance (the model rewrites a prompt). */
export const STUDIO_ERRORS = {
  describe_no_image: {
    kind: "invalid_input",
    sentence: "That message has no image to describe; use Describe image on a message with an image.",
  },
  describe_svg: {
    kind: "invalid_input",
    sentence: ({ file }: { file: string }) =>
      `${file} is an SVG, which Describe cannot look at; send a PNG, JPEG or WebP.`,
  },
  describe_animated: {
    kind: "invalid_input",
    sentence: ({ file, frames }: { file: string; frames: number }) =>
      `${file} is animated (${frames} frames), which Describe cannot look at; send a still image.`,
  },
  describe_prompt_unknown: {
    kind: "invalid_input",
    sentence: ({ prompt, prompts }: { prompt: number; prompts: number }) =>
      `That description has ${prompts} prompts, not a prompt ${prompt}.`,
  },
  enhance_prompt_empty: {
    kind: "invalid_input",
    sentence: "Enhance rewrites your prompt, so it needs one: write what to draw.",
  },
  enhance_prompt_too_long: {
    kind: "invalid_input",
    sentence: ({ length }: { length: number }) =>
      `Enhance rewrites prompts of up to ${ENHANCE_MAX_PROMPT.toLocaleString("en-US")} characters; yours has ${length.toLocaleString("en-US")}. Shorten it or leave enhance off.`,
  },
  text_answer_missing: {
    kind: "unavailable",
    sentence: "The model gave no usable answer, so nothing was made; try again.",
  },
} as const satisfies ErrorGroup;
