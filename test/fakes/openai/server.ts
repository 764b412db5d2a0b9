import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { wallClock } from "../clock.js";
import { type IncomingRequest, readIncoming } from "../incoming.js";
import { HttpError, notFound } from "./errors.js";
import { type Failure, FailureQueue, failureToHttpError, streamErrorAsHttp } from "./failures.js";
import { destroy, type Exchange, newRequestId, sendError } from "./http.js";
import { handleEdits, handleGenerations } from "./images-routes.js";
import { checkShutdownDate, handleListModels, handleRetrieveModel } from "./models-routes.js";
import { parseMultipart } from "./multipart.js";
import {
  handleCancelResponse,
  handleCreateResponse,
  handleDeleteResponse,
  handleRetrieveResponse,
} from "./responses-routes.js";
import { StreamStopped } from "./sse.js";
import {
  type FakeState,
  type RecordedRequest,
  type RouteContext,
  wantsStream,
  writtenEvent,
} from "./state.js";

export type { Failure } from "./failures.js";
export type { RecordedRequest, WrittenEvent } from "./state.js";

export interface FakeOpenAIOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Delay before each streamed event and before non-streamed answers; default 0. */
  latencyMs?: number;
  /** Shutdown dates announced from the start, model → `YYYY-MM-DD` (see `FakeOpenAI.setShutdownDate`). */
  shutdownDates?: Record<string, string>;
}

export interface FakeOpenAI {
  /** Base URL for the SDK, e.g. "http://127.0.0.1:43123/v1". */
  url: string;
  /** "http://127.0.0.1:43123", for the AzureOpenAI `endpoint`. */
  origin: string;
  /** Every request received, in order (the same array for the server's life; `reset` empties it). */
  requests: RecordedRequest[];
  /** Queue a failure for the next `times` model requests (POST generations/edits/responses), FIFO. */
  fail(failure: Failure, times?: number): void;
  setLatency(ms: number): void;
  /**
   * Holds each streamed event (`image_generation.partial_image`, …) until `hook` resolves: a test waits for
   * the bot to show one partial before the next is sent, instead of hoping a delay is long enough.
   * `undefined` removes the hook; `reset` does too.
   */
  pace(hook: ((event: string) => Promise<void>) | undefined): void;
  /**
   * Announces (`YYYY-MM-DD`) or withdraws (`null`) a model's shutdown date: `GET /models` shows it, and from that
   * date on the model is refused with 404 model_not_found like a retired one. `reset` keeps the dates.
   */
  setShutdownDate(model: string, date: string | null): void;
  /** Clears requests, queued failures and stored responses, and restores the starting latency. */
  reset(): void;
  close(): Promise<void>;
}

interface Route {
  method: string;
  pattern: RegExp;
  handler: (ctx: RouteContext) => Promise<void>;
  /** Model requests are the ones queued failures apply to. */
  model: boolean;
}

const ROUTES: Route[] = [
  { method: "POST", pattern: /^\/images\/generations$/, handler: handleGenerations, model: true },
  { method: "POST", pattern: /^\/images\/edits$/, handler: handleEdits, model: true },
  { method: "POST", pattern: /^\/responses$/, handler: handleCreateResponse, model: true },
  { method: "GET", pattern: /^\/responses\/([^/]+)$/, handler: handleRetrieveResponse, model: false },
  { method: "DELETE", pattern: /^\/responses\/([^/]+)$/, handler: handleDeleteResponse, model: false },
  { method: "POST", pattern: /^\/responses\/([^/]+)\/cancel$/, handler: handleCancelResponse, model: false },
  { method: "GET", pattern: /^\/models\/([^/]+)$/, handler: handleRetrieveModel, model: false },
  { method: "GET", pattern: /^\/models$/, handler: handleListModels, model: false },
];

/**
 * OpenAI paths (`/v1/…`) and the ones `AzureOpenAI` builds (`/openai/deployments/{d}/images/…`,
 * `/openai/responses`, or `/openai/v1/…` for Azure's v1 API) lead to the same handlers.
 */
function routePath(path: string): string {
  return path
    .replace(/^\/openai(?=\/)/, "")
    .replace(/^\/v1(?=\/)/, "")
    .replace(/^\/deployments\/[^/]+(?=\/)/, "");
}

async function record(
  { method, path, query, headers, body, arrivedAt }: IncomingRequest,
  receivedAt: number,
): Promise<RecordedRequest> {
  const request: RecordedRequest = { method, path, query, headers, receivedAt, arrivedAt, events: [] };
  const type = headers["content-type"] ?? "";
  try {
    if (type.includes("json") && body.length > 0) request.json = JSON.parse(body.toString("utf8"));
    if (type.startsWith("multipart/form-data")) request.form = await parseMultipart(body, type);
  } catch {
    // Left unparsed: the route answers 400 the way the API does for a malformed body.
  }
  return request;
}

function modelOf(request: RecordedRequest): string {
  const json = request.json as { model?: unknown } | undefined;
  const model = json?.model ?? request.form?.fields.model;
  return typeof model === "string" ? model : "gpt-image-2";
}

async function handle(state: FakeState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedAt = Date.now();
  const incoming = await readIncoming(req);
  const { body } = incoming;
  const request = await record(incoming, startedAt);
  state.requests.push(request);
  const x: Exchange = {
    req,
    res,
    requestId: newRequestId(),
    startedAt,
    latency: () => state.latencyMs,
    beforeEvent: async (event) => state.pace?.(event),
    writing: (event, data) => request.events.push(writtenEvent(event, data, wallClock())),
  };
  res.once("close", () => {
    if (!res.writableEnded && !x.dropped) request.abortedByClient = true;
  });
  try {
    const path = routePath(request.path);
    let id: string | undefined;
    const route = ROUTES.find((r) => {
      const match = r.method === request.method ? r.pattern.exec(path) : null;
      if (match?.[1] !== undefined) id = decodeURIComponent(match[1]);
      return match !== null;
    });
    if (!route) throw notFound(`Invalid URL (${request.method} ${request.path})`);
    if (!request.headers.authorization && !request.headers["api-key"]) {
      throw new HttpError(401, {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        type: "invalid_request_error",
        param: null,
        code: null,
      });
    }
    const ctx: RouteContext = { x, state, request, body };
    if (id !== undefined) ctx.id = id;
    const failure = route.model ? state.failures.shift() : undefined;
    if (failure?.type === "hang") return;
    if (failure?.type === "stuck_queued") ctx.stuckQueued = true;
    else if (failure?.type === "stream_cut" || failure?.type === "stream_error") {
      if (wantsStream(request)) ctx.streamFailure = failure;
      else if (failure.type === "stream_cut") return destroy(x);
      else throw streamErrorAsHttp(failure);
    } else if (failure) {
      throw failureToHttpError(failure, modelOf(request), x.requestId);
    }
    await route.handler(ctx);
  } catch (error) {
    if (error instanceof StreamStopped) return;
    if (res.headersSent) return destroy(x);
    if (error instanceof HttpError) return sendError(x, error);
    // A bug in the fake must be loud in tests, not look like an API answer.
    const message = `Fake OpenAI failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    return sendError(x, new HttpError(500, { message, type: "fake_server_bug", param: null, code: null }));
  }
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const host = options.host ?? "127.0.0.1";
  const startLatency = options.latencyMs ?? 0;
  const state: FakeState = {
    requests: [],
    failures: new FailureQueue(),
    latencyMs: startLatency,
    pace: undefined,
    responses: new Map(),
    imageCalls: new Map(),
    shutdownDates: new Map(Object.entries(options.shutdownDates ?? {})),
  };
  const server = createServer((req, res) => {
    handle(state, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests: state.requests,
    fail: (failure, times = 1) => state.failures.push(failure, times),
    setLatency: (ms) => {
      state.latencyMs = ms;
    },
    pace: (hook) => {
      state.pace = hook;
    },
    setShutdownDate: (model, date) => {
      checkShutdownDate(model, date);
      if (date === null) state.shutdownDates.delete(model);
      else state.shutdownDates.set(model, date);
    },
    reset: () => {
      state.requests.length = 0;
      state.failures.clear();
      state.responses.clear();
      state.imageCalls.clear();
      state.latencyMs = startLatency;
      state.pace = undefined;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung and streaming requests would keep `close` waiting forever.
        server.closeAllConnections();
      }),
  };
}
