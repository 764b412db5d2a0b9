import { randomBytes } from "node:crypto";
import { invalidRequest, invalidType, invalidValue, unknownParameter } from "./errors.js";

/** Writes one event (as `responses-stream.ts` does). */
type EmitEvent = (type: string, fields: object) => Promise<void>;

/** One web search the fake "made": deterministic results from the query. */
export interface SearchCall {
  callId: string;
  query: string;
  /** Listed in the call's `action.sources` only when asked for with `include`. */
  sources: string[];
  withSources: boolean;
  /** Pages the answer text cites (`url_citation`), with titles. */
  citations: { url: string; title: string }[];
}

const SEARCH_TOOL_FIELDS = new Set([
  "type",
  "filters",
  "search_context_size",
  "user_location",
  "external_web_access",
]);
const INCLUDABLE = new Set([
  "file_search_call.results",
  "web_search_call.results",
  "web_search_call.action.sources",
  "message.input_image.image_url",
  "computer_call_output.output.image_url",
  "code_interpreter_call.outputs",
  "reasoning.encrypted_content",
  "message.output_text.logprobs",
]);

/** Search content tokens one search adds to the model's input (what the fake reports). */
export const SEARCH_CONTENT_TOKENS = 1_800;

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40) || "query";

/**
 * Checks what the API checks of a search request (`include` values, `max_tool_calls`, the tool's fields) and
 * plans the search: one, unless the request forces another tool or allows no call besides the image. Seven
 * sources (more than a result lists) and two citations, one of them also a source, so that listing caps and
 * deduplicates.
 */
export function planSearch(body: Record<string, unknown>, query: string): SearchCall | undefined {
  const include = body.include ?? [];
  if (!Array.isArray(include)) throw invalidType("include", "an array", include);
  for (const [i, value] of include.entries()) {
    if (!INCLUDABLE.has(String(value))) throw invalidValue(`include[${i}]`, value, [...INCLUDABLE]);
  }
  const maxCalls = body.max_tool_calls;
  if (
    maxCalls !== undefined &&
    maxCalls !== null &&
    (!Number.isInteger(maxCalls) || (maxCalls as number) < 1)
  ) {
    throw invalidRequest("max_tool_calls must be a positive integer.", "max_tool_calls");
  }
  const tools = Array.isArray(body.tools) ? (body.tools as Array<Record<string, unknown> | null>) : [];
  const index = tools.findIndex(
    (tool) => tool?.type === "web_search" || tool?.type === "web_search_2025_08_26",
  );
  const tool = tools[index];
  if (!tool) return undefined;
  for (const key of Object.keys(tool)) {
    if (!SEARCH_TOOL_FIELDS.has(key)) throw unknownParameter(`tools[${index}].${key}`);
  }
  const choice = body.tool_choice;
  const forcedElsewhere =
    typeof choice === "object" && choice !== null && (choice as { type?: unknown }).type !== "web_search";
  if (forcedElsewhere || choice === "none" || maxCalls === 1) return undefined;
  const base = `https://example.org/${slug(query)}`;
  const sources = Array.from({ length: 7 }, (_, i) => `${base}/source-${i + 1}`);
  return {
    callId: `ws_${randomBytes(20).toString("hex")}`,
    query,
    sources,
    withSources: include.includes("web_search_call.action.sources"),
    citations: [
      { url: `${base}/source-2`, title: `Source two about ${query}` },
      { url: `https://news.example.com/${slug(query)}`, title: `News: ${query}` },
    ],
  };
}

export function searchCallItem(search: SearchCall, status: "in_progress" | "completed") {
  const action = {
    type: "search",
    query: search.query,
    queries: [search.query],
    ...(search.withSources && status === "completed"
      ? { sources: search.sources.map((url) => ({ type: "url", url })) }
      : {}),
  };
  return { id: search.callId, type: "web_search_call", status, action };
}

/** `url_citation` annotations over the text's first characters, as the model cites what it read. */
export function citationsOf(search: SearchCall | undefined, text: string) {
  return (search?.citations ?? []).map((citation) => ({
    type: "url_citation",
    start_index: 0,
    end_index: Math.min(text.length, 20),
    url: citation.url,
    title: citation.title,
  }));
}

/** The search's events before anything else in the output; returns how many output items it took. */
export async function streamSearch(emit: EmitEvent, search: SearchCall | undefined): Promise<number> {
  if (search === undefined) return 0;
  const where = { output_index: 0, item_id: search.callId };
  await emit("response.output_item.added", { output_index: 0, item: searchCallItem(search, "in_progress") });
  await emit("response.web_search_call.in_progress", where);
  await emit("response.web_search_call.searching", where);
  await emit("response.web_search_call.completed", where);
  await emit("response.output_item.done", { output_index: 0, item: searchCallItem(search, "completed") });
  return 1;
}
