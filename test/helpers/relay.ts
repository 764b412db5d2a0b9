import type { IncomingMessage, ServerResponse } from "node:http";

/** A request a test looks at on its way to a fake: method, path with query, and the body as text. */
export interface RelayedRequest {
  method: string;
  path: string;
  text: string;
}

export interface RelaySteps {
  /** Which requests go through the relay (decided on the request line alone). */
  match(method: string, path: string): boolean;
  /** Runs before the fake sees the request: holding it here delays what the fake shows. */
  before?(request: RelayedRequest): Promise<void>;
  /** Runs once the fake has applied the request, before its answer reaches the client. */
  after?(request: RelayedRequest): Promise<void>;
}

const RELAYED = "x-test-relayed";
const HOP_HEADERS = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

/**
 * A `control` hook for the fakes that passes matching requests on to the fake itself, so a test decides
 * when the fake sees a request and when the client hears the answer. Two clients racing (a bot and a
 * worker editing one message) are put in a chosen order by events, never by sleeping.
 */
export function relay(origin: () => string, steps: RelaySteps) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    if (req.headers[RELAYED] !== undefined || !steps.match(method, path)) return false;
    forward(req, res, origin(), steps).catch((error: unknown) => {
      // The client sees a broken connection; the test run fails on the unhandled rejection, which says why.
      res.destroy();
      throw error;
    });
    return true;
  };
}

async function forward(req: IncomingMessage, res: ServerResponse, origin: string, steps: RelaySteps) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const request = { method: req.method ?? "GET", path: req.url ?? "/", text: body.toString("utf8") };
  await steps.before?.(request);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  headers.set(RELAYED, "1");
  const answer = await fetch(`${origin}${request.path}`, {
    method: request.method,
    headers,
    ...(body.length > 0 ? { body } : {}),
  });
  const answerBody = Buffer.from(await answer.arrayBuffer());
  await steps.after?.(request);
  const answerHeaders: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!HOP_HEADERS.has(name) && name !== "content-encoding") answerHeaders[name] = value;
  });
  res.writeHead(answer.status, { ...answerHeaders, "content-length": String(answerBody.length) });
  res.end(answerBody);
}
