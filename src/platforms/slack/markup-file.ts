import type { SlackFileRef } from "./deps.js";

/**
 * Slack gives a message's files no roles (Discord's `/edit` has an option per file): the PNG whose name starts
 * with `markup` (`markup.png`, `markup-arrows.png`) is the markup over the first image, not an input image.
 */
export function markupFile(files: readonly SlackFileRef[]): SlackFileRef | undefined {
  return files.find((file) => /^markup[^/]*\.png$/i.test(file.name ?? ""));
}
