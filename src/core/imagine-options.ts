import { formatMegabytes, LIMITS } from "./limits.js";
import { MODEL_NAMES, modelsWhere } from "./models.js";
import { defineOptions, type OptionValues } from "./option-definition.js";
import { shown } from "./option-messages.js";
import {
  attachmentSchema,
  booleanSchema,
  choiceSchema,
  integerSchema,
  textSchema,
} from "./option-schemas.js";
import {
  API_MODES,
  BACKGROUNDS,
  COMPLEXITIES,
  FIDELITIES,
  MODERATIONS,
  OUTPUT_FORMATS,
  QUALITIES,
} from "./request.js";
import { isSizeLike } from "./size.js";

/**
 * Which models take `fidelity`, from the table. None does since the gpt-image-1.x line retired; the option
 * stays (a saved job or a typed value gets a clear sentence, and a model that takes it again needs only its row).
 */
const FIDELITY_MODELS = (() => {
  const able = modelsWhere((model) => model.fidelities.length > 0);
  return able.length > 0 ? able.join(", ") : "no current model takes it";
})();

const range = (limits: { min: number; max: number }) => ({ min: limits.min, max: limits.max });

/** The files an edit takes, as option descriptions name them. */
export const IMAGE_FILES = `png, jpeg, webp, heic, avif, tiff, bmp or gif, under ${formatMegabytes(LIMITS.maxImageBytes)}`;

/**
 * The options of an image request, the one table: `/imagine` offers them all, `/edit` and `/settings` a few,
 * and validation checks values built in code against it (`option-values.ts`). Values are checked one by one
 * here; the request as a whole (model capabilities, combinations) by `resolveRequest`.
 */
export const IMAGINE_OPTIONS = defineOptions([
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
    open: true,
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
    description: `How closely edits keep faces and details of the inputs (${FIDELITY_MODELS})`,
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
    name: "draft",
    description:
      "Quick, cheap draft: the draft model at low quality with partials; a model or quality you give wins",
    type: "boolean",
    schema: booleanSchema("draft"),
  },
  {
    name: "enhance",
    description: "Let the text model rewrite your prompt with more visual detail first (shown, and used)",
    type: "boolean",
    schema: booleanSchema("enhance"),
  },
  {
    name: "search",
    description: "Search the web before drawing and list the sources (Responses API, one image)",
    type: "boolean",
    schema: booleanSchema("search"),
  },
  {
    name: "image",
    description: `Image to edit: ${IMAGE_FILES}`,
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
  {
    name: "markup",
    description:
      "Arrows, circles and notes guiding the edit: a transparent PNG at image 1's size (2.5 models)",
    type: "attachment",
    schema: attachmentSchema("markup"),
  },
  {
    name: "private",
    description: "Show the reply only to you (Discord: only you see it; Slack: in your DM with the app)",
    type: "boolean",
    // Where the reply goes, not what is drawn: the request ignores it; each platform reads it at intake.
    schema: booleanSchema("private"),
  },
]);

export type ImagineOption = (typeof IMAGINE_OPTIONS)[number];
export type ImagineOptionName = ImagineOption["name"];

/** The table's option called `name`, with its literal type (for commands that offer some of them). */
export function imagineOption<const Name extends ImagineOptionName>(
  name: Name,
): Extract<ImagineOption, { name: Name }> {
  const option = IMAGINE_OPTIONS.find(
    (candidate): candidate is Extract<ImagineOption, { name: Name }> => candidate.name === name,
  );
  if (option === undefined) throw new Error(`no image option named ${name}`);
  return option;
}

/** The table's options called `names`, in that order. */
export function imagineOptions<const Name extends ImagineOptionName>(
  names: readonly Name[],
): Extract<ImagineOption, { name: Name }>[] {
  return names.map((name) => imagineOption(name));
}

/**
 * The options as the person gave them, by field name (`frame-ms` → `frameMs`). Absent means "not given":
 * `resolveRequest` applies defaults, and treats a given value more strictly than a default (an explicit
 * `--partials 2` with gif is an error; the default 2 quietly becomes 0).
 */
export type ImagineOptions = OptionValues<typeof IMAGINE_OPTIONS>;
