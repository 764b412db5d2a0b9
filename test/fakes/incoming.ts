import type { IncomingMessage } from "node:http";
import { wallClock } from "./clock.js";

/** The parts of an HTTP request every fake records, read the same way by all of them. */
export interface IncomingRequest {
  method: string;
  /** Without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names; repeated headers joined with ", " as HTTP allows. */
  headers: Record<string, string>;
  body: Buffer;
  /** When the whole request had arrived, on the fakes' clock (`wallClock`): what a latency is measured to. */
  arrivedAt: number;
}

/** Reads a request whole: the fakes answer small bodies and record them as they arrived. */
export async function readIncoming(req: IncomingMessage): Promise<IncomingRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://fake.local");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: Buffer.concat(chunks),
    arrivedAt: wallClock(),
  };
}
