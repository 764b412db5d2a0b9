import { z } from "zod";
import { MODELS } from "../core/models.js";

/**
 * What one model costs, in dollars per million tokens. Image models bill four kinds of token; a text model
 * (the one driving the Responses API) bills text in and out, and images it reads at `imageInput`.
 */
export interface ModelPrices {
  textInput: number;
  imageInput: number;
  imageOutput: number;
  /** The model's own text: the Responses model's answer, or text tokens an image model reports. */
  textOutput: number;
  /**
   * Dollars per 1,000 web search tool calls made by this (text) model; 0 for image models, which search nothing.
   * The search content tokens are billed at the model's input rate; assumed reported in the response's
   * `usage.input_tokens`, so priced with the rest of its input.
   */
  webSearchCalls: number;
}

/**
 * Search content tokens one search may add to the Responses model's input, for the reservation only: OpenAI
 * publishes no bound; assumed from the default (`medium`) search context size, erring high.
 */
export const WEB_SEARCH_CONTENT_TOKENS = 10_000;

/** Prices by base model name (snapshots resolve to their alias through `snapshotOf`). */
export type PriceTable = Readonly<Record<string, ModelPrices>>;

export const PRICE_FIELDS = [
  "textInput",
  "imageInput",
  "imageOutput",
  "textOutput",
  "webSearchCalls",
] as const;

/**
 * gpt-image-2 and the 2.5 models: DESIGN.md ("text in $5/M tokens, image in $8/M, image out $30/M"). Text
 * output $10/M is the pricing page's "Text tokens … output" column for gpt-image-2 as third-party pages copy
 * it (robotsatlas.com/ai-models/chatgpt-images-2-0); 2.5 is assumed to match.
 */
const GPT_IMAGE_2: ModelPrices = {
  textInput: 5,
  imageInput: 8,
  imageOutput: 30,
  textOutput: 10,
  webSearchCalls: 0,
};

/**
 * Responses API text models (standard tier, up to 272K input tokens; vision input billed at the input rate).
 * gpt-5.5 $5/$30, gpt-5.4 $2.50/$15, gpt-4.1 $2/$8, gpt-4o $2.50/$10, as OpenAI's pricing page is quoted in
 * late-2026 articles (e.g. plausiblereality.com "GPT-5.5 is expensive only if you ask the wrong question").
 * Web search (the pricing page's Built-in tools): $10 per 1k calls for the reasoning models (gpt-5.x), $25 per
 * 1k for gpt-4o and gpt-4.1 (their search content free); a model the table does not know pays the dearer.
 */
const DEAREST_WEB_SEARCH = 25;

function textModel(input: number, output: number, webSearchCalls = DEAREST_WEB_SEARCH): ModelPrices {
  return { textInput: input, imageInput: input, imageOutput: 0, textOutput: output, webSearchCalls };
}

/**
 * The current public prices. Every model in `src/core/models.ts` (base names) has a row; so do the Responses
 * text models named above. The 2.6 models have no published price yet: they get gpt-image-2.5's. Retired
 * models have no row: nothing new is made on them, and a stored run's Details show the cost stored with it.
 */
export const DEFAULT_PRICES: PriceTable = {
  "gpt-image-2": GPT_IMAGE_2,
  "gpt-image-2.5-sunburst": GPT_IMAGE_2,
  "gpt-image-2.5-flare": GPT_IMAGE_2,
  "gpt-image-2.6-sunburst": GPT_IMAGE_2,
  "gpt-image-2.6-flare": GPT_IMAGE_2,
  "gpt-5.5": textModel(5, 30, 10),
  "gpt-5.4": textModel(2.5, 15, 10),
  "gpt-4.1": textModel(2, 8, 25),
  "gpt-4o": textModel(2.5, 10, 25),
};

/**
 * Prices for a text model the table does not know (a Responses model outside it, the model that wrote an
 * SVG): the dearest default text model's, so an estimate errs high rather than low.
 */
export const UNKNOWN_TEXT_MODEL_PRICES: ModelPrices = textModel(5, 30);

function baseName(model: string): string {
  const key = model.trim().toLowerCase();
  return MODELS.get(key)?.snapshotOf ?? key;
}

/** `model`'s prices (a dated snapshot gets its alias's); undefined when the table has no row for it. */
export function pricesFor(table: PriceTable, model: string): ModelPrices | undefined {
  return Object.hasOwn(table, baseName(model)) ? table[baseName(model)] : undefined;
}

const price = z
  .number({ message: "must be a number (dollars per million tokens)" })
  .nonnegative("must not be negative");

const overrideEntry = z.strictObject(
  {
    textInput: price.optional(),
    imageInput: price.optional(),
    imageOutput: price.optional(),
    textOutput: price.optional(),
    webSearchCalls: z
      .number({ message: "must be a number (dollars per 1,000 web search calls)" })
      .nonnegative("must not be negative")
      .optional(),
  },
  { message: `must be an object with some of ${PRICE_FIELDS.join(", ")}` },
);

/** `OPENAI_PRICES`: per model, the prices to change (the rest keep their defaults). */
export const PriceOverridesSchema = z.record(z.string(), overrideEntry, {
  message: 'must be a JSON object such as {"gpt-image-2":{"imageOutput":30}}',
});
export type PriceOverrides = z.infer<typeof PriceOverridesSchema>;

/**
 * The defaults with `overrides` merged over them, field by field. `textModels` names text models that may be
 * priced although the defaults lack them (the configured Responses model); such a new row must give
 * `textInput` and `textOutput` (`imageInput` then defaults to `textInput`, `imageOutput` to 0). Problems (an
 * unknown model, a snapshot named instead of its alias, a new row without its text prices) come back as
 * sentences, one per model, for the config error.
 */
export function withOverrides(
  overrides: PriceOverrides | undefined,
  textModels: readonly string[] = [],
  base: PriceTable = DEFAULT_PRICES,
): { table: PriceTable; problems: string[] } {
  const table: Record<string, ModelPrices> = { ...base };
  const problems: string[] = [];
  const newTextModels = new Set(textModels.map((name) => name.trim().toLowerCase()));
  for (const [name, change] of Object.entries(overrides ?? {})) {
    const key = name.trim().toLowerCase();
    const alias = MODELS.get(key)?.snapshotOf;
    if (alias !== undefined) {
      problems.push(`${name}: a snapshot is priced as ${alias}; set ${alias} instead`);
      continue;
    }
    const current = Object.hasOwn(table, key) ? table[key] : undefined;
    const defined = Object.fromEntries(
      Object.entries(change).filter(([, value]) => value !== undefined),
    ) as Partial<ModelPrices>;
    if (current !== undefined) {
      table[key] = { ...current, ...defined };
    } else if (!newTextModels.has(key)) {
      problems.push(
        `${name}: unknown model; prices can be set for ${[...new Set([...Object.keys(base), ...newTextModels])].join(", ")}`,
      );
    } else if (defined.textInput === undefined || defined.textOutput === undefined) {
      problems.push(`${name}: has no default prices; set at least textInput and textOutput`);
    } else {
      table[key] = { ...textModel(defined.textInput, defined.textOutput), ...defined };
    }
  }
  return { table, problems };
}
