import type { Cost } from "./cost.js";
import { type PriceTable, pricesFor, UNKNOWN_TEXT_MODEL_PRICES } from "./prices.js";
import { textTokens } from "./tokens.js";

/**
 * An image the Responses model reads, at most: the vision rules bill a large image in tiles or patches (up to
 * about 1,500 tokens on today's models); the same allowance `estimate.ts` gives an input image of a Responses turn.
 */
export const TEXT_CALL_INPUT_PER_IMAGE = 2_500;
/** Message framing and the like around the instructions and the person's text. */
const TEXT_CALL_INPUT_OVERHEAD = 100;

/** What a question to the Responses model sends and may write back, before it is asked. */
export interface TextCallShape {
  /** The instructions and the person's text, counted high (`textTokens`). */
  texts: readonly string[];
  images: number;
  /** `max_output_tokens`: the answer, reasoning included, bills no more. */
  maxOutputTokens: number;
}

/** A text model's tokens as a `Cost`: no image model is involved, so its part is zero. */
function textOnlyCost(model: string, inputTokens: number, outputTokens: number, table: PriceTable): Cost {
  const prices = pricesFor(table, model) ?? UNKNOWN_TEXT_MODEL_PRICES;
  const micro = inputTokens * prices.textInput + outputTokens * prices.textOutput;
  return {
    inputTokens: { text: 0, image: 0 },
    outputTokens: 0,
    outputTokensDetails: { image: 0, text: 0 },
    textModel: { model, inputTokens, outputTokens },
    images: 0,
    dollars: micro / 1_000_000,
    microdollars: Math.ceil(Math.round(micro * 1_000) / 1_000),
  };
}

/** The most a text call can cost: every input counted high, and the whole output cap. */
export function textCallCeiling(shape: TextCallShape, model: string, table: PriceTable): Cost {
  const input =
    shape.texts.reduce((sum, text) => sum + textTokens(text), 0) +
    shape.images * TEXT_CALL_INPUT_PER_IMAGE +
    TEXT_CALL_INPUT_OVERHEAD;
  return textOnlyCost(model, input, shape.maxOutputTokens, table);
}

/** What a text call cost from the usage OpenAI reported (reasoning is in the output tokens); undefined without one. */
export function textCallCost(
  usage: Record<string, unknown> | undefined,
  model: string,
  table: PriceTable,
): Cost | undefined {
  const input = usage?.input_tokens;
  const output = usage?.output_tokens;
  if (typeof input !== "number" || typeof output !== "number") return undefined;
  return textOnlyCost(model, input, output, table);
}

/** Two costs of one run added up (an Enhance's rewrite and the image made from it). */
export function addCosts(a: Cost, b: Cost): Cost {
  const micro = a.microdollars + b.microdollars;
  return { ...a, dollars: a.dollars + b.dollars, microdollars: micro };
}
