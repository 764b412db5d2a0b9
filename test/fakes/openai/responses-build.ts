import { randomBytes } from "node:crypto";
import { imageUsage } from "./images-routes.js";
import type { ImageOptions } from "./params.js";
import { textTokens } from "./params.js";
import { citationsOf, SEARCH_CONTENT_TOKENS, type SearchCall, searchCallItem } from "./responses-search.js";

export const newId = (prefix: string) => `${prefix}_${randomBytes(20).toString("hex")}`;

/** Everything one turn of the Responses API needs to describe itself, before any pixels exist. */
export interface Turn {
  id: string;
  createdAt: number;
  model: string;
  body: Record<string, unknown>;
  previousResponseId: string | null;
  turn: number;
  prompts: string[];
  userText: string;
  inputImages: number;
  /** Absent when there is no image tool or `tool_choice` is "none": a text-only answer. */
  image?: { opts: ImageOptions; action: "generate" | "edit"; callId: string; revisedPrompt: string };
  messageId: string;
  text: string;
  /** A web search made before anything else (`web_search` tool). */
  search?: SearchCall;
}

/**
 * Deterministic wording that names the turn, so chaining through `previous_response_id` is
 * visible in revised prompts and text (turn 1, turn 2, …).
 */
export function describeTurn(turn: number, prompts: string[], userText: string, withImage: boolean) {
  const revisedPrompt = `Turn ${turn}: ${prompts.join(" | then: ")}`;
  const text = withImage
    ? `Here is your image for turn ${turn}: ${userText}.`
    : `Turn ${turn}: you said "${userText}".`;
  return { revisedPrompt, text };
}

export function imageCallItem(t: Turn, status: "in_progress" | "completed", result: string | null) {
  if (!t.image) throw new Error("turn without image");
  const { opts } = t.image;
  const base = { id: t.image.callId, type: "image_generation_call", status, result };
  if (status === "in_progress") return base;
  return {
    ...base,
    action: t.image.action,
    background: opts.background,
    output_format: opts.format,
    quality: opts.quality,
    size: opts.size,
    revised_prompt: t.image.revisedPrompt,
  };
}

export function outputText(text: string, annotations: unknown[] = []) {
  return { type: "output_text", text, annotations, logprobs: [] };
}

export function messageItem(t: Turn, status: "in_progress" | "completed") {
  return {
    id: t.messageId,
    type: "message",
    status,
    role: "assistant",
    content: status === "completed" ? [outputText(t.text, citationsOf(t.search, t.text))] : [],
  };
}

function usageOf(t: Turn) {
  const input =
    textTokens(t.prompts.join(" ")) +
    40 * t.turn +
    t.inputImages * 323 +
    (t.search ? SEARCH_CONTENT_TOKENS : 0);
  const output = textTokens(t.text) + (t.image ? 30 : 0);
  const usage = {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
  const imageGen = t.image
    ? imageUsage(t.image.revisedPrompt, t.image.opts, t.inputImages + (t.image.action === "edit" ? 1 : 0))
    : {
        input_tokens: 0,
        input_tokens_details: { image_tokens: 0, text_tokens: 0 },
        output_tokens: 0,
        total_tokens: 0,
      };
  return { usage, tool_usage: { image_gen: imageGen, web_search: { num_requests: t.search ? 1 : 0 } } };
}

export type ResponseStatus = "queued" | "in_progress" | "completed" | "cancelled";

/** The `Response` object (SDK type `Response`), minus `output_text`, which the SDK computes. */
export function responseObject(t: Turn, status: ResponseStatus, output: unknown[]): Record<string, unknown> {
  const b = t.body;
  const done = status === "completed";
  return {
    id: t.id,
    object: "response",
    created_at: t.createdAt,
    status,
    background: b.background === true,
    completed_at: done ? Math.floor(Date.now() / 1000) : null,
    error: null,
    incomplete_details: null,
    instructions: b.instructions ?? null,
    max_output_tokens: b.max_output_tokens ?? null,
    metadata: b.metadata ?? {},
    model: t.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: t.previousResponseId,
    reasoning: { effort: null, summary: null },
    safety_identifier: b.safety_identifier ?? null,
    service_tier: "default",
    store: b.store !== false,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: b.tool_choice ?? "auto",
    tools: b.tools ?? [],
    top_p: 1,
    truncation: "disabled",
    user: b.user ?? null,
    ...(done ? usageOf(t) : { usage: null }),
  };
}

export function finalOutput(t: Turn, result: string | undefined): unknown[] {
  const output: unknown[] = [];
  if (t.search) output.push(searchCallItem(t.search, "completed"));
  if (t.image) output.push(imageCallItem(t, "completed", result ?? null));
  output.push(messageItem(t, "completed"));
  return output;
}
