import { LIMITS } from "../core/limits.js";
import type { ImageRequest } from "../core/request.js";
import { DESCRIBE_SHAPE, enhanceShape } from "../core/studio-asks.js";
import { actualCost } from "../pricing/actual.js";
import type { Cost } from "../pricing/cost.js";
import { estimateCost } from "../pricing/estimate.js";
import type { PriceTable } from "../pricing/prices.js";
import { textCallCeiling } from "../pricing/text-call.js";
import { formatDollars } from "./budget-scopes.js";
import type { Spend } from "./ledger.js";

/** What pricing needs from the configuration. */
export interface Pricing {
  prices: PriceTable;
  /** The model driving the Responses API. */
  responsesModel: string;
}

/**
 * A run's cost as `metadata.json` records it: reported by OpenAI (`usage`), or estimated when it was not.
 * `generations` is there when more than one was paid for (an Images API job whose worker died mid-stream).
 */
export type RunCost = Cost & { source: "usage" | "estimate"; generations?: number };

/**
 * Input images before they are read: the largest the worker sends (it scales bigger ones down), so an
 * estimate made before the download is never short.
 */
const LARGEST_INPUT = { width: LIMITS.maxUsefulInputEdge, height: LIMITS.maxUsefulInputEdge };

export interface RequestShape {
  request: ImageRequest;
  /** Input images, stored and new. */
  imageCount: number;
  hasMask: boolean;
  /** A markup over the first image: priced as a mask is, one more input image of the first's size. */
  hasMarkup?: boolean;
  /** A Responses turn continuing a chain (earlier turns are read again). */
  chained: boolean;
  /** A Describe: the Responses model reads the one input image and writes prompts; no image is made. */
  describe?: boolean;
}

function estimate(shape: RequestShape, pricing: Pricing): Cost {
  return estimateCost(
    shape.request,
    {
      images: Array.from({ length: shape.imageCount }, () => LARGEST_INPUT),
      mask: shape.hasMask || shape.hasMarkup === true,
      chained: shape.chained,
    },
    pricing.prices,
    { responsesModel: pricing.responsesModel },
  );
}

/** The most a request can cost, reserved from the budgets before it is queued. */
export function reservationFor(shape: RequestShape, pricing: Pricing): Spend {
  const { prices, responsesModel } = pricing;
  if (shape.describe) {
    return { micro: textCallCeiling(DESCRIBE_SHAPE, responsesModel, prices).microdollars, images: 0 };
  }
  if (!shape.request.enhance)
    return { micro: estimate(shape, pricing).microdollars, images: shape.request.n };
  // Enhance's rewrite is asked for before the image, and the image is drawn from it: the rewrite's most comes on
  // top, and the image's prompt is counted as the person's plus the longest rewrite (its whole output, at 3
  // characters a token, which `textTokens` counts as a token each).
  const ask = enhanceShape(shape.request.prompt);
  const longest = `${shape.request.prompt}${"x".repeat(3 * ask.maxOutputTokens)}`;
  const drawn = { ...shape, request: { ...shape.request, prompt: longest } };
  const rewrite = textCallCeiling(ask, responsesModel, prices).microdollars;
  return { micro: estimate(drawn, pricing).microdollars + rewrite, images: shape.request.n };
}

/** What a finished run cost: OpenAI's reported usage, else the estimate for what was asked. */
export function runCost(
  shape: RequestShape,
  usage: Record<string, unknown> | undefined,
  images: number,
  pricing: Pricing,
): RunCost {
  const reported = actualCost(shape.request.model, usage, pricing.prices, {
    responsesModel: pricing.responsesModel,
    images,
  });
  if (reported) return { ...reported, source: "usage" };
  return { ...estimate(shape, pricing), images, source: "estimate" };
}

/**
 * The cost of a run whose earlier generations were lost with their workers: each was asked for the same
 * request and is counted at what this one cost, as OpenAI bills a generation whether or not it was read.
 */
export function withLostGenerations(cost: RunCost, lost: number): RunCost {
  if (lost <= 0) return cost;
  const generations = lost + 1;
  return {
    ...cost,
    generations,
    dollars: cost.dollars * generations,
    microdollars: cost.microdollars * generations,
  };
}

/** `$0.21`, or `<$0.01`: the short line under a result. */
export function formatCost(cost: Pick<Cost, "microdollars">): string {
  return cost.microdollars < 5_000 ? "<$0.01" : formatDollars(cost.microdollars, "nearest");
}
