import { imagineCommand } from "../../commands/imagine.js";
import { EnvSchema } from "../config/schema.js";
import type { ImagineOptionName } from "../core/imagine-options.js";

/** README's words for an option; the rest of its row (name, choices, range, repeats) is the definition's. */
interface OptionDoc {
  /** When the definition's choices or range do not say it. */
  values?: string;
  meaning: string;
  /** The variable whose default is marked among the choices. */
  defaultFrom?: keyof typeof EnvSchema.shape;
}

/** Every option but the prompt (the CLI's positional words): a new option without its words fails to compile. */
const DOCS: Record<Exclude<ImagineOptionName, "prompt">, OptionDoc> = {
  model: { meaning: "image model", defaultFrom: "DEFAULT_IMAGE_MODEL" },
  size: {
    values: "`auto` or `WIDTHxHEIGHT`",
    meaning:
      "gpt-image-2 and 2.5: both sides multiples of 16, aspect 1:3 to 3:1, at most 3840x2160, within the pixel bounds; the other models only `1024x1024`, `1536x1024`, `1024x1536`",
  },
  quality: { meaning: "`xhigh` and `max` on the 2.5 models" },
  n: { meaning: "number of images" },
  format: { meaning: "output format; gif and svg need a 2.6 model and do not stream" },
  compression: { meaning: "jpeg and webp only" },
  background: { meaning: "transparent needs png or webp" },
  moderation: { meaning: "moderation strictness" },
  partials: { meaning: "partial images streamed before the final (default 2; 0 for gif and svg)" },
  api: {
    meaning: "Images API, or the Responses API with the `image_generation` tool",
    defaultFrom: "DEFAULT_API",
  },
  complexity: { meaning: "planning effort, independent of quality (2.6 models)" },
  fidelity: { meaning: "how closely edits keep input features (models that support it)" },
  frames: { meaning: "GIF frame count" },
  "frame-ms": { values: "milliseconds", meaning: "GIF frame duration" },
  draft: {
    values: "switch (`--draft`), or `true`/`false`",
    meaning:
      "a quick, cheap draft on `DRAFT_MODEL` at quality low with partial images; a model or quality you give wins; the result says draft",
  },
  enhance: {
    values: "switch (`--enhance`), or `true`/`false`",
    meaning:
      "the Responses model rewrites the prompt first (same intent and language, more visual detail; prompts up to 4,000 characters); the result shows the rewrite and its cost is included",
  },
  search: {
    values: "switch (`--search`), or `true`/`false`",
    meaning:
      "the Responses model may search the web before drawing (up to 3 searches, priced); the sources are listed under the image; one image, Responses API",
  },
  image: {
    values: "png, jpeg, webp; heic, avif, tiff, bmp, gif (made png), < 50 MB",
    meaning: "input image to edit",
  },
  mask: {
    values: "image",
    meaning:
      "where to edit the first image: transparent areas, or white areas of a black-and-white mask (converted to alpha); same size as the first image",
  },
  markup: {
    values: "PNG with transparency",
    meaning:
      "arrows, circles and notes drawn over the first image to guide the edit; same size as the first image, not with a mask; Images API, models with markup (the 2.5 models)",
  },
  private: {
    values: "`true`, `false`",
    meaning:
      "answer only you: on Discord an ephemeral reply, on Slack the result in your DM with the app; the CLI's are always yours",
  },
};

/** The CLI's own flags, after the command's. */
const CLI_ROWS: readonly (readonly [string, string, string])[] = [
  [
    "`--thread NAME`",
    "text",
    "continue a named local conversation: each run chains to the previous one with `previous_response_id` (implies `--api responses`)",
  ],
  ["`--out DIR`", "folder", "where the run folder goes (default `STORAGE_DIR`)"],
  ["`--help`", "", "every option"],
];

function valuesOf(option: (typeof imagineCommand.options)[number], doc: OptionDoc): string {
  if (doc.values !== undefined) return doc.values;
  if (option.choices !== undefined) {
    const fallback =
      doc.defaultFrom === undefined ? undefined : EnvSchema.shape[doc.defaultFrom].parse(undefined);
    return option.choices
      .map((choice) =>
        choice === fallback ? `\`${choice}\` (default, \`${doc.defaultFrom}\`)` : `\`${choice}\``,
      )
      .join(", ");
  }
  return `${option.min}–${option.max}`;
}

function optionRow(option: (typeof imagineCommand.options)[number]): string[] {
  if (option.name === "prompt") return [];
  const doc = DOCS[option.name];
  const repeat = option.repeatable === undefined ? "" : `; repeat up to ${option.repeatable} times`;
  const flag = option.type === "attachment" ? `--${option.name} PATH` : `--${option.name}`;
  return [`\`${flag}\``, valuesOf(option, doc), `${doc.meaning}${repeat}`];
}

/** README's table of the CLI's options (the Slack flags are the same), as a formatter aligns it. */
export function readmeOptionTable(): string {
  const rows = [
    ["option", "values", "meaning"],
    ...imagineCommand.options.map(optionRow),
    ...CLI_ROWS,
  ].filter((row) => row.length > 0);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? "").padEnd(width)).join(" | ")} |`;
  const [header = [], ...body] = rows;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...body.map(line)].join("\n");
}
