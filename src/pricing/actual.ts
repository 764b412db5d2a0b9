import { DEFAULT_MODELS } from "../core/models.js";
import { type Cost, type CostTokens, priceTokens, type TextModelTokens } from "./cost.js";
import type { PriceTable } from "./prices.js";

export interface ActualOptions {
  /** The model driving the Responses API (`RESPONSES_MODEL`); its default when not given. */
  responsesModel?: string;
  /** Finished images delivered; usage does not say. */
  images?: number;
}

type Fields = Record<string, unknown>;

function fields(value: unknown): Fields | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * An image model's usage (the Images API's `usage`, or the Responses tool's `tool_usage.image_gen`):
 * `input_tokens` with `input_tokens_details {text_tokens, image_tokens}`, `output_tokens` with optional
 * `output_tokens_details {image_tokens, text_tokens}`. A total without its split is counted at the dearer
 * kind (image), so a partial report never prices below what was billed. Cached tokens get no discount: the
 * price table has no cached rate, and the error is on the safe side.
 */
function imageModelTokens(usage: Fields | undefined): Omit<CostTokens, "images"> | undefined {
  if (usage === undefined) return undefined;
  const inputDetails = fields(usage.input_tokens_details);
  const outputDetails = fields(usage.output_tokens_details);
  const input = split(
    count(usage.input_tokens),
    count(inputDetails?.text_tokens),
    count(inputDetails?.image_tokens),
  );
  const output = split(
    count(usage.output_tokens),
    count(outputDetails?.text_tokens),
    count(outputDetails?.image_tokens),
  );
  if (input === undefined && output === undefined) return undefined;
  return {
    inputTokens: input ?? { text: 0, image: 0 },
    outputTokensDetails: output ?? { text: 0, image: 0 },
  };
}

/** A total and its text/image split, made consistent: what the split leaves out counts as image tokens. */
function split(
  total: number | undefined,
  text: number | undefined,
  image: number | undefined,
): { text: number; image: number } | undefined {
  if (total === undefined && text === undefined && image === undefined) return undefined;
  const knownText = text ?? 0;
  const knownImage = image ?? 0;
  const rest = Math.max(0, (total ?? 0) - knownText - knownImage);
  return { text: knownText, image: knownImage + rest };
}

/** A text model's usage (the Responses `usage`, or `svg_usage`): input and output tokens, reasoning included. */
function textModelTokens(usage: Fields | undefined, model: string): TextModelTokens | undefined {
  if (usage === undefined) return undefined;
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  return { model, inputTokens: input ?? 0, outputTokens: output ?? 0 };
}

/**
 * The cost OpenAI reported, from the engine's `usage` (kept verbatim, see `src/core/images.ts`):
 * - Images API: the image model's usage at the top level, plus `svg_usage` (the model that wrote an SVG,
 *   priced as that model when the table knows it).
 * - Responses API: the top-level usage is the Responses model's; `tool_usage.image_gen` is the image model's
 *   (the image is billed separately, partial images included in its output tokens).
 * Undefined when the image model's usage is missing or unusable (a Responses usage without `tool_usage` is
 * missing the image, the bulk of the bill), so the caller keeps the estimate.
 */
export function actualCost(
  model: string,
  usage: Record<string, unknown> | undefined,
  prices: PriceTable,
  options: ActualOptions = {},
): Cost | undefined {
  if (usage === undefined) return undefined;
  const toolUsage = fields(usage.tool_usage);
  const responses =
    toolUsage !== undefined || fields(usage.input_tokens_details)?.cached_tokens !== undefined;
  const image = imageModelTokens(responses ? fields(toolUsage?.image_gen) : usage);
  if (image === undefined) return undefined;
  const svg = fields(usage.svg_usage);
  // Billable searches only (OpenAI leaves out discounted ones and page opens); their content tokens are input.
  const webSearches = count(fields(toolUsage?.web_search)?.num_requests) ?? 0;
  const textModel = responses
    ? textModelTokens(usage, options.responsesModel ?? DEFAULT_MODELS.responses)
    : textModelTokens(svg, typeof svg?.model === "string" ? svg.model : "svg-author");
  return priceTokens(
    model,
    {
      ...image,
      ...(textModel ? { textModel } : {}),
      images: options.images ?? 0,
      ...(webSearches > 0 ? { webSearches } : {}),
    },
    prices,
  );
}
