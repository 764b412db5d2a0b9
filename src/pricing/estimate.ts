import { LIMITS } from "../core/limits.js";
import { DEFAULT_MODELS } from "../core/models.js";
import { type ImageRequest, streams } from "../core/request.js";
import type { Dimensions } from "../core/size.js";
import { type Cost, priceTokens, type TextModelTokens } from "./cost.js";
import { type PriceTable, WEB_SEARCH_CONTENT_TOKENS } from "./prices.js";
import {
  candidateQualities,
  candidateSizes,
  imageModelTextOutputTokens,
  imageOutputTokens,
  inputImageTokens,
  maxInputImageTokens,
  PARTIAL_IMAGE_TOKENS,
  textTokens,
} from "./tokens.js";

export interface EstimateInputs {
  /** Input images as sent (after any downscaling), in order; the first is the one a mask covers. */
  images: ReadonlyArray<Dimensions>;
  mask?: boolean;
  /** Responses API: the turn continues a chain, so the previous image and turns go back in. */
  chained?: boolean;
}

export interface EstimateOptions {
  /** The model driving the Responses API (`RESPONSES_MODEL`); its default is gpt-5.5. */
  responsesModel?: string;
}

/**
 * Allowances for what the request does not show. The Responses model reads its instructions, the image
 * tool's definition (about 265 tokens, community.openai.com/t/…/1277438) and the tool's result, and writes the
 * tool call (the revised prompt) and a short answer; a chained turn re-reads the earlier turns. An SVG is
 * written by a text model the API picks (the SDK's `svg_usage.model`), priced as an unknown text model.
 */
const RESPONSES_INPUT_OVERHEAD = 1_500;
const RESPONSES_INPUT_PER_IMAGE = 2_500;
const RESPONSES_CHAIN_HISTORY = 4_000;
const RESPONSES_OUTPUT = 1_000;
const REVISED_PROMPT_EXTRA = 400;
const SVG_AUTHOR_INPUT_OVERHEAD = 500;
const SVG_AUTHOR_OUTPUT = 4_000;
/** Edits bill text tokens that grow with the inputs (16–22 per image measured, community.openai.com/t/…/1382940). */
const EDIT_TEXT_PER_IMAGE = 32;
/** GIF frames when the request leaves the count to the API: the most it allows. */
const MAX_GIF_FRAMES = 16;

/**
 * What `request` will cost at most, before anything is spent: the amount to reserve from a budget. Every
 * unknown is resolved to its dearest plausible value (`auto` quality: the dearest quality the model takes;
 * `auto` size: the dearest standard size; token counts: the published ones or upper bounds, see `tokens.ts`),
 * so the reservation covers the bill; the actual cost (`actualCost`) then settles it.
 */
export function estimateCost(
  request: ImageRequest,
  inputs: EstimateInputs,
  prices: PriceTable,
  options: EstimateOptions = {},
): Cost {
  const { model } = request;
  let perImage = 0;
  for (const size of candidateSizes(request.size)) {
    for (const quality of candidateQualities(model, request.quality)) {
      perImage = Math.max(perImage, imageOutputTokens(model, size, quality));
    }
  }
  if (request.format === "gif") perImage *= request.frames ?? MAX_GIF_FRAMES;
  const partials = streams(request) ? request.partials : 0;
  const imageOutput = request.n * (perImage + partials * PARTIAL_IMAGE_TOKENS);
  const textOutput = request.n * imageModelTextOutputTokens(model);

  const highFidelity = request.fidelity === "high";
  let imageInput = inputs.images.reduce(
    (sum, image) => sum + inputImageTokens(model, image, highFidelity),
    0,
  );
  const first = inputs.images[0];
  if (inputs.mask && first) imageInput += inputImageTokens(model, first, highFidelity);
  const responses = request.api === "responses";
  if (responses && inputs.chained) imageInput += maxInputImageTokens(model);

  const promptTokens = textTokens(request.prompt);
  const textInput =
    (responses ? promptTokens + REVISED_PROMPT_EXTRA : promptTokens) +
    EDIT_TEXT_PER_IMAGE * (inputs.images.length + (inputs.mask ? 1 : 0));

  return priceTokens(
    model,
    {
      inputTokens: { text: textInput, image: imageInput },
      outputTokensDetails: { image: imageOutput, text: textOutput },
      ...textModelPart(request, inputs, promptTokens, options),
      images: request.n,
      // A search is reserved at its bound: every search the request may make, and what each may read.
      ...(request.search ? { webSearches: LIMITS.maxWebSearches } : {}),
    },
    prices,
  );
}

function textModelPart(
  request: ImageRequest,
  inputs: EstimateInputs,
  promptTokens: number,
  options: EstimateOptions,
): { textModel?: TextModelTokens } {
  if (request.api === "responses") {
    return {
      textModel: {
        model: options.responsesModel ?? DEFAULT_MODELS.responses,
        inputTokens:
          promptTokens +
          RESPONSES_INPUT_OVERHEAD +
          RESPONSES_INPUT_PER_IMAGE * inputs.images.length +
          (inputs.chained ? RESPONSES_CHAIN_HISTORY : 0) +
          (request.search ? LIMITS.maxWebSearches * WEB_SEARCH_CONTENT_TOKENS : 0),
        outputTokens: RESPONSES_OUTPUT,
      },
    };
  }
  if (request.format === "svg") {
    return {
      textModel: {
        model: "svg-author",
        inputTokens: promptTokens + SVG_AUTHOR_INPUT_OVERHEAD,
        outputTokens: SVG_AUTHOR_OUTPUT,
      },
    };
  }
  return {};
}
