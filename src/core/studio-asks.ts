import { userError } from "./errors.js";
import type { InputFile } from "./images.js";

/** A question for the Responses model, as the engine's text call takes it (`src/engine/text-call.ts`). */
export interface TextQuestion {
  instructions: string;
  text?: string;
  images?: readonly InputFile[];
  /** The hard cap on what the answer (reasoning included) may bill: the reservation counts it in full. */
  maxOutputTokens: number;
  /** Structured output: the answer is JSON that matches `schema` (strict). */
  schema?: { name: string; schema: Record<string, unknown> };
}

/** How many prompts Describe proposes: one button each. */
export const DESCRIBED_PROMPTS = 3;

/**
 * Output caps, reasoning included: a reasoning model thinks before it writes, and a cap it hits leaves no
 * answer (`text_answer_missing`), so they are generous; the reservation counts them in full.
 */
const DESCRIBE_MAX_OUTPUT_TOKENS = 4_000;
const ENHANCE_MAX_OUTPUT_TOKENS = 2_000;

const DESCRIBE_INSTRUCTIONS = [
  `Look at the image and write ${DESCRIBED_PROMPTS} different prompts for an image generation model that would recreate it.`,
  "Each prompt names the subject, composition, colours, lighting, medium and style in one paragraph of at most 80 words.",
  "Write only what is visible; no commentary. Answer in the JSON format given.",
].join(" ");

const ENHANCE_INSTRUCTIONS = [
  "Rewrite the user's prompt for an image generation model.",
  "Keep their intent, subject and every detail they gave, and write in the language they wrote in.",
  "Add concrete visual detail: composition, lighting, colours, materials, style.",
  "Answer with the one rewritten prompt only, at most 150 words: no title, no quotes, no commentary.",
].join(" ");

const DESCRIBE_SCHEMA = {
  name: "described_prompts",
  schema: {
    type: "object",
    properties: {
      prompts: {
        type: "array",
        items: { type: "string" },
        minItems: DESCRIBED_PROMPTS,
        maxItems: DESCRIBED_PROMPTS,
      },
    },
    required: ["prompts"],
    additionalProperties: false,
  },
};

/** What a Describe sends, for its reservation before the image is read. */
export const DESCRIBE_SHAPE = {
  texts: [DESCRIBE_INSTRUCTIONS],
  images: 1,
  maxOutputTokens: DESCRIBE_MAX_OUTPUT_TOKENS,
} as const;

/** What an Enhance of `prompt` sends, for its reservation. */
export const enhanceShape = (prompt: string) => ({
  texts: [ENHANCE_INSTRUCTIONS, prompt],
  images: 0,
  maxOutputTokens: ENHANCE_MAX_OUTPUT_TOKENS,
});

export function describeAsk(image: InputFile): TextQuestion {
  return {
    instructions: DESCRIBE_INSTRUCTIONS,
    images: [image],
    maxOutputTokens: DESCRIBE_MAX_OUTPUT_TOKENS,
    schema: DESCRIBE_SCHEMA,
  };
}

export function enhanceAsk(prompt: string): TextQuestion {
  return { instructions: ENHANCE_INSTRUCTIONS, text: prompt, maxOutputTokens: ENHANCE_MAX_OUTPUT_TOKENS };
}

/** The prompts of a Describe's answer; JSON that does not hold them is no answer. */
export function describedPrompts(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const prompts = (parsed as { prompts?: unknown } | undefined)?.prompts;
  if (
    !Array.isArray(prompts) ||
    prompts.length !== DESCRIBED_PROMPTS ||
    !prompts.every((prompt) => typeof prompt === "string" && prompt.trim() !== "")
  ) {
    throw userError("text_answer_missing", { details: { answer: text.slice(0, 200) } });
  }
  return prompts.map((prompt: string) => prompt.trim());
}
