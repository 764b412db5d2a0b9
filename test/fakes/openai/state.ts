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
  /** When the whole body had arrived (`wallClock`, test/fakes/clock.ts). */
  arrivedAt: number;
  /** Every server-sent event written to this request's stream, in order. */
  events: WrittenEvent[];
}

/** One server-sent event as the fake began to write it: a benchmark times the bot from here. */
export interface WrittenEvent {
  type: string;
  /** `wallClock()` just before the event's first byte was written. */
  writtenAt: number;
  /** `partial_image_index` of a partial image event. */
  partialIndex?: number;
  /** Decoded size of the image the event carries (`b64_json` or `partial_image_b64`). */
  imageBytes?: number;
}

/** What the `events` record keeps of an event: its type, its time and the size of its image, never the image. */
export function writtenEvent(type: string, data: object, writtenAt: number): WrittenEvent {
  const fields = data as { partial_image_index?: unknown; b64_json?: unknown; partial_image_b64?: unknown };
  const written: WrittenEvent = { type, writtenAt };
  if (typeof fields.partial_image_index === "number") written.partialIndex = fields.partial_image_index;
  const b64 = fields.b64_json ?? fields.partial_image_b64;
  if (typeof b64 === "string") written.imageBytes = Buffer.byteLength(b64, "base64");
  return written;
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
  /** Announced shutdown dates (`YYYY-MM-DD`) by model id. */
  shutdownDates: Map<string, string>;
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
