import type { IncomingRequest } from "../incoming.js";
import type { BackgroundRun } from "./background.js";
import { invalidRequest, missingParameter } from "./errors.js";
import type { FailureQueue, StreamFailure } from "./failures.js";
import type { Exchange } from "./http.js";
import type { ParsedForm } from "./multipart.js";

/** As received (credentials kept verbatim for assertions), with the body parsed. */
export interface RecordedRequest extends Omit<IncomingRequest, "body"> {
  /** `Date.now()` when the request began to arrive (rate-limit tests read the spacing). */
  receivedAt: number;
  json?: unknown;
  form?: ParsedForm;
  /** Set when the client went away before the answer ended (an aborted request), not when the fake cut it. */
  abortedByClient?: true;
}

/** A Responses API object kept for `previous_response_id`, retrieve, delete and cancel. */
export interface StoredResponse {
  body: Record<string, unknown>;
  /** 1 for a fresh conversation, previous turn + 1 when chained. */
  turn: number;
  /** Every user text along the chain, oldest first: the image is drawn from all of them. */
  prompts: string[];
  /** The last image of the chain, the base the next turn edits. */
  image?: Buffer;
  /** Background jobs finish later; cancel flips this before they do. */
  cancelled?: boolean;
  /** A streamed background response's events, for `GET /responses/{id}?stream=true&starting_after=n`. */
  run?: BackgroundRun;
}

export interface FakeState {
  requests: RecordedRequest[];
  failures: FailureQueue;
  latencyMs: number;
  /** See `FakeOpenAI.pace`. */
  pace: ((event: string) => Promise<void>) | undefined;
  responses: Map<string, StoredResponse>;
  /** `ig_…` ids to image bytes, so an input item `{type:"image_generation_call", id}` can be edited. */
  imageCalls: Map<string, Buffer>;
}

export interface RouteContext {
  x: Exchange;
  state: FakeState;
  request: RecordedRequest;
  body: Buffer;
  /** Path parameter (`/responses/{id}`). */
  id?: string;
  streamFailure?: StreamFailure;
  /** `stuck_queued` was injected: a background response that never leaves `queued`. */
  stuckQueued?: true;
}

export function jsonBody(ctx: RouteContext): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(ctx.body.toString("utf8"));
  } catch {
    throw invalidRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalidRequest("Invalid body: expected a JSON object.");
  return value as Record<string, unknown>;
}

export function requirePrompt(value: unknown): string {
  if (value === undefined || value === null || value === "") throw missingParameter("prompt");
  if (typeof value !== "string")
    throw invalidRequest("Invalid type for 'prompt': expected a string.", "prompt", "invalid_type");
  if (value.length > 32_000)
    throw invalidRequest(
      `Invalid 'prompt': string too long. Expected a string with maximum length 32000, but got a string with length ${value.length} instead.`,
      "prompt",
      "string_above_max_length",
    );
  return value;
}

/** Whether the client asked for SSE, read before validation so failures can shape the answer. */
export function wantsStream(request: RecordedRequest): boolean {
  const json = request.json as { stream?: unknown } | undefined;
  const field = request.form?.fields.stream;
  return json?.stream === true || field === "true";
}
