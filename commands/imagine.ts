import { IMAGINE_OPTIONS, type ImagineOptions } from "../src/core/imagine-options.js";
import { parseCommandOptions } from "./parse-options.js";
import { defineCommand } from "./types.js";

/** `/imagine`: generate, or edit the attached images; every option of an image request. */
export const imagineCommand = defineCommand({
  kind: "slash",
  name: "imagine",
  description: "Create images with OpenAI's image models, or edit the images you attach",
  access: "listed",
  options: IMAGINE_OPTIONS,
  slack: "command",
});

/**
 * Parses raw option values keyed by option name (`{ size: "1536x1024", n: "2", "frame-ms": "150" }`).
 * @throws `UserError` `invalid_option` (one sentence naming the option and what it accepts),
 * `unknown_option` or `missing_option`.
 */
export function parseImagineOptions(raw: Record<string, unknown>): ImagineOptions {
  return parseCommandOptions(imagineCommand, raw);
}
