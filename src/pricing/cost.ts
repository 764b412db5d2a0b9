import { type ModelPrices, type PriceTable, pricesFor, UNKNOWN_TEXT_MODEL_PRICES } from "./prices.js";

/** Tokens a text model spent alongside the image model, billed at its own rates. */
export interface TextModelTokens {
  /** The Responses model, or the model that wrote an SVG. */
  model: string;
  inputTokens: number;
  outputTokens: number;
}

/**
 * What a request costs (estimated before, or reported after), in the shape of OpenAI's image usage: the image
 * model's tokens, the text model's beside them, and the sum in dollars.
 */
export interface Cost {
  /** Image-model input tokens (the Images API request, or the Responses image tool). */
  inputTokens: { text: number; image: number };
  /** Image-model output tokens, all kinds (images, partial images and the model's own text). */
  outputTokens: number;
  outputTokensDetails: { image: number; text: number };
  /** Responses API (the text model) or SVG output (the model that wrote it). */
  textModel?: TextModelTokens;
  /** Images the cost covers (finished images, not partials). */
  images: number;
  /** Web searches billed (`search`); absent when none. */
  webSearches?: number;
  /** What each of those searches cost, in millionths of a dollar (the searching model's price then). */
  webSearchMicro?: number;
  /** Dollars, unrounded. */
  dollars: number;
  /** Dollars in millionths, rounded up: whole numbers a ledger can add exactly. */
  microdollars: number;
}

export interface CostTokens {
  inputTokens: { text: number; image: number };
  outputTokensDetails: { image: number; text: number };
  textModel?: TextModelTokens;
  images: number;
  webSearches?: number;
}

/**
 * Prices `tokens` for the image model `model`. Without a price row for the image model there is no honest
 * figure, so this throws (config validation keeps every model of `src/core/models.ts` priced).
 */
export function priceTokens(model: string, tokens: CostTokens, table: PriceTable): Cost {
  const prices = pricesFor(table, model);
  if (prices === undefined) throw new Error(`No prices for image model ${model}`);
  // Dollars per million tokens × tokens = millionths of a dollar.
  let micro = imageModelMicro(prices, tokens);
  // The text model drives the Responses API and makes its web searches; none known, the dearest prices.
  const text = (tokens.textModel && pricesFor(table, tokens.textModel.model)) ?? UNKNOWN_TEXT_MODEL_PRICES;
  if (tokens.textModel) {
    micro += tokens.textModel.inputTokens * text.textInput + tokens.textModel.outputTokens * text.textOutput;
  }
  const webSearches = tokens.webSearches ?? 0;
  // Dollars per 1,000 calls = millionths of a dollar per call × 1,000.
  const webSearchMicro = text.webSearchCalls * 1_000;
  micro += webSearches * webSearchMicro;
  return {
    inputTokens: tokens.inputTokens,
    outputTokens: tokens.outputTokensDetails.image + tokens.outputTokensDetails.text,
    outputTokensDetails: tokens.outputTokensDetails,
    ...(tokens.textModel ? { textModel: tokens.textModel } : {}),
    images: tokens.images,
    ...(webSearches > 0 ? { webSearches, webSearchMicro } : {}),
    dollars: micro / 1_000_000,
    // Rounded to a billionth first, so float noise (0.1 + 0.2) never rounds a whole number up.
    microdollars: Math.ceil(Math.round(micro * 1_000) / 1_000),
  };
}

function imageModelMicro(prices: ModelPrices, tokens: CostTokens): number {
  return (
    tokens.inputTokens.text * prices.textInput +
    tokens.inputTokens.image * prices.imageInput +
    tokens.outputTokensDetails.image * prices.imageOutput +
    tokens.outputTokensDetails.text * prices.textOutput
  );
}
