import type { ImagineOptions } from "../src/core/imagine-options.js";
import { LIMITS } from "../src/core/limits.js";
import { MODEL_NAMES } from "../src/core/models.js";
import { shown } from "../src/core/option-messages.js";
import {
  API_MODES,
  BACKGROUNDS,
  COMPLEXITIES,
  FIDELITIES,
  MODERATIONS,
  OUTPUT_FORMATS,
  QUALITIES,
} from "../src/core/request.js";
import { isSizeLike } from "../src/core/size.js";
import { attachmentSchema, choiceSchema, integerSchema, textSchema } from "./option-schemas.js";
import { parseCommandOptions } from "./parse-options.js";
import type { CommandDefinition } from "./types.js";

export type { AttachmentRef, ImagineOptions } from "../src/core/imagine-options.js";

const range = (limits: { min: number; max: number }) => ({ min: limits.min, max: limits.max });

/**
 * `/imagine`: generate, or edit the attached images. Option values are checked one by one here; the request
 * as a whole (model capabilities, combinations) by `resolveRequest`.
 */
export const imagineCommand: CommandDefinition = {
  name: "imagine",
  description: "Create images with OpenAI's image models, or edit the images you attach",
  options: [
    {
      name: "prompt",
      description: "What to draw, or how to change the attached images",
      type: "string",
      required: true,
      // Kept as typed: emptiness and length are validation's, with their own codes.
      schema: textSchema("prompt", "text", false),
    },
    {
      name: "model",
      description: "Image model (default set by the bot's config)",
      type: "string",
      choices: MODEL_NAMES,
      schema: textSchema("model", "a model name, e.g. gpt-image-2").transform((name) => name.toLowerCase()),
    },
    {
      name: "size",
      description: "auto or WIDTHxHEIGHT, e.g. 1536x1024 (multiples of 16, 1:3 to 3:1, up to 3840x2160)",
      type: "string",
      schema: textSchema("size", "auto or WIDTHxHEIGHT, e.g. 1536x1024").refine(isSizeLike, {
        error: (issue) =>
          `Option size must be auto or WIDTHxHEIGHT, e.g. 1536x1024 (got ${shown(issue.input)}).`,
      }),
    },
    {
      name: "quality",
      description: "Rendering quality; xhigh and max on the 2.5 models",
      type: "string",
      choices: QUALITIES,
      schema: choiceSchema("quality", QUALITIES),
    },
    {
      name: "n",
      description: `How many images (${LIMITS.n.min}-${LIMITS.n.max})`,
      type: "integer",
      ...range(LIMITS.n),
      schema: integerSchema("n", LIMITS.n.min, LIMITS.n.max),
    },
    {
      name: "format",
      description: "Output format; gif and svg need a 2.6 model and do not stream",
      type: "string",
      choices: OUTPUT_FORMATS,
      schema: choiceSchema("format", OUTPUT_FORMATS),
    },
    {
      name: "compression",
      description: "Compression level 0-100, jpeg and webp only",
      type: "integer",
      ...range(LIMITS.compression),
      schema: integerSchema("compression", LIMITS.compression.min, LIMITS.compression.max),
    },
    {
      name: "background",
      description: "Background; transparent needs png or webp",
      type: "string",
      choices: BACKGROUNDS,
      schema: choiceSchema("background", BACKGROUNDS),
    },
    {
      name: "moderation",
      description: "Content filtering: auto, or low for less restrictive",
      type: "string",
      choices: MODERATIONS,
      schema: choiceSchema("moderation", MODERATIONS),
    },
    {
      name: "partials",
      description: "Partial images shown while it draws (0-3, default 2; gif and svg: 0)",
      type: "integer",
      ...range(LIMITS.partials),
      schema: integerSchema("partials", LIMITS.partials.min, LIMITS.partials.max),
    },
    {
      name: "api",
      description: "images: the Images API; responses: the Responses API image tool (for threads)",
      type: "string",
      choices: API_MODES,
      schema: choiceSchema("api", API_MODES),
    },
    {
      name: "complexity",
      description: "Planning effort, independent of quality (2.6 models)",
      type: "string",
      choices: COMPLEXITIES,
      schema: choiceSchema("complexity", COMPLEXITIES),
    },
    {
      name: "fidelity",
      description: "How closely edits keep faces and details of the inputs (gpt-image-1.5, gpt-image-1-mini)",
      type: "string",
      choices: FIDELITIES,
      schema: choiceSchema("fidelity", FIDELITIES),
    },
    {
      name: "frames",
      description: `GIF frame count (${LIMITS.frames.min}-${LIMITS.frames.max}, default 9)`,
      type: "integer",
      ...range(LIMITS.frames),
      schema: integerSchema("frames", LIMITS.frames.min, LIMITS.frames.max),
    },
    {
      name: "frame-ms",
      description: "GIF frame duration in milliseconds (default 200)",
      type: "integer",
      ...range(LIMITS.frameMs),
      schema: integerSchema("frame-ms", LIMITS.frameMs.min, LIMITS.frameMs.max, "milliseconds"),
    },
    {
      name: "image",
      description: "Image to edit: png, jpeg, webp, heic, avif, tiff, bmp or gif, under 50 MB",
      type: "attachment",
      repeatable: LIMITS.maxInputImages,
      schema: attachmentSchema("image"),
    },
    {
      name: "mask",
      description: "Where to edit image 1 (same size): transparent areas, or white on a black-and-white mask",
      type: "attachment",
      schema: attachmentSchema("mask"),
    },
  ],
};

/**
 * Parses raw option values keyed by option name (`{ size: "1536x1024", n: "2", "frame-ms": "150" }`).
 * @throws `UserError` `invalid_option` (one sentence naming the option and what it accepts),
 * `unknown_option` or `missing_option`.
 */
export function parseImagineOptions(raw: Record<string, unknown>): ImagineOptions {
  // The schemas above produce exactly the ImagineOptions field types; the record is keyed by field name.
  return parseCommandOptions(imagineCommand, raw) as unknown as ImagineOptions;
}
