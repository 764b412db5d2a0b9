import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { ErrorObject, HttpError } from "./errors.js";

/** One request being answered: what the routes need from the server, nothing more. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  startedAt: number;
  /** Read on every use so `setLatency` applies to streams already running. */
  latency(): number;
  /** Awaited before each streamed event is written: a test's `pace` hook, or nothing. */
  beforeEvent(event: string): Promise<void>;
  /** Called as each streamed event starts to be written (the request's `events` record). */
  writing(event: string, data: object): void;
  /** Set by `destroy`: the fake itself dropped the connection (a planned failure), the client did not. */
  dropped?: true;
}

export function newRequestId(): string {
  return `req_${randomBytes(16).toString("hex")}`;
}

/** Headers OpenAI puts on every answer; the SDK exposes `x-request-id` as `requestID`/`_request_id`. */
export function commonHeaders(x: Exchange): Record<string, string> {
  return {
    "x-request-id": x.requestId,
    "openai-version": "2020-10-01",
    "openai-organization": "org-fake",
    "openai-processing-ms": String(Date.now() - x.startedAt),
  };
}

export async function wait(x: Exchange): Promise<void> {
  const ms = x.latency();
  if (ms > 0) await sleep(ms);
}

export async function sendJson(
  x: Exchange,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<void> {
  await wait(x);
  if (x.res.destroyed || x.res.headersSent) return;
  const text = JSON.stringify(body);
  x.res.writeHead(status, {
    ...commonHeaders(x),
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  x.res.end(text);
}

export function sendError(x: Exchange, error: HttpError): Promise<void> {
  const body: { error: ErrorObject } = { error: error.error };
  return sendJson(x, error.status, body, error.headers);
}

/** Drop the connection without an answer: fetch in the SDK sees a socket error. */
export function destroy(x: Exchange): void {
  x.dropped = true;
  x.res.socket?.destroy();
  x.res.destroy();
}
