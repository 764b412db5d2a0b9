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

/**
 * Reads a request whole: the fakes answer small bodies and record them as they arrived. `arrivedAt` is taken
 * when the body's last byte has been read, and the request is handled only after the fake has read every other
 * request already waiting on its sockets: a burst of 200 deferrals is then stamped as it arrived, not each one
 * after the fake's own handling of all the ones before it (which the bench would count as the bot's time).
 */
export async function readIncoming(req: IncomingMessage): Promise<IncomingRequest> {
  const { body, arrivedAt } = await new Promise<{ body: Buffer; arrivedAt: number }>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve({ body: Buffer.concat(chunks), arrivedAt: wallClock() }));
    req.on("error", reject);
  });
  // After the sockets that are readable now (the poll phase): their requests get their own stamps first.
  await new Promise((resolve) => setImmediate(resolve));
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
    body,
    arrivedAt,
  };
}
