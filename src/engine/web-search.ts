import type { Response, ResponseCreateParamsBase, Tool } from "openai/resources/responses/responses";
import { LIMITS } from "../core/limits.js";
import { MAX_LISTED_SOURCES, type WebSource } from "../core/web-sources.js";

/** The web search tool, as a grounded request (`search`) offers it beside the image tool. */
export const WEB_SEARCH_TOOL: Tool = { type: "web_search" };

/**
 * What a grounded request adds besides the tool: its sources in the output (`include`), a bound on the calls
 * (the searches plus the one image call) so the bill stays under what was reserved, and instructions to end
 * with the image (sent with `tool_choice: "required"`: forcing the image tool would skip the search, and a
 * response that still ends without an image gets the no-image sentence).
 */
export function groundedParameters(): Pick<
  ResponseCreateParamsBase,
  "include" | "max_tool_calls" | "instructions"
> {
  return {
    include: ["web_search_call.action.sources"],
    max_tool_calls: LIMITS.maxWebSearches + 1,
    instructions:
      "Search the web for the facts the request needs, then draw the image with the image_generation tool. Always end with the image.",
  };
}

/**
 * The pages the model used: its citations first (they have titles), then what its searches returned, each URL
 * once, at most {@link MAX_LISTED_SOURCES}. Only http(s) links: a source is shown as a link to people.
 */
export function sourcesOf(response: Response): WebSource[] {
  const found = new Map<string, WebSource>();
  const add = (url: string, title?: string) => {
    if (!/^https?:\/\//i.test(url) || found.has(url)) return;
    found.set(url, title ? { url, title } : { url });
  };
  for (const item of response.output) {
    if (item.type !== "message") continue;
    for (const part of item.content) {
      if (part.type !== "output_text") continue;
      for (const note of part.annotations) if (note.type === "url_citation") add(note.url, note.title);
    }
  }
  for (const item of response.output) {
    if (item.type === "web_search_call" && item.action.type === "search") {
      for (const source of item.action.sources ?? []) add(source.url);
    }
  }
  return [...found.values()].slice(0, MAX_LISTED_SOURCES);
}
