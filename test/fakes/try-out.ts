import { mkdir, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { basename, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readIncoming } from "./incoming.js";

/**
 * The try-out of the standalone fakes (docs/try-it-offline.md): `npm run fake:discord -- --imagine "a fox"`
 * (or `fake:slack`) asks the fake that runs in another terminal, at `POST /_fake/imagine`, to send the
 * command to the bot connected to it, and reads back each version of the bot's reply as one JSON line, until
 * the result or the bot's refusal. Only the standalone fakes mount this route; tests drive the fakes directly.
 */
export const TRY_OUT_PATH = "/_fake/imagine";

/** How long the route waits for a bot to connect: one that is still starting gets there. */
export const BOT_WAIT_MS = 5_000;
const FOLLOW_MS = 5 * 60_000;
const POLL_MS = 50;

export interface TryOutImage {
  name: string;
  url: string;
}

/** One line of the route's answer: a new version of the reply, the bot's refusal, or the result. */
export type TryOutEvent =
  | { stage: string }
  | { failed: string }
  | { done: { images: TryOutImage[]; buttons: string[] } };

/** Follows one command: returns what changed since the last call; a `failed` or `done` event ends it. */
export type TryOutPoll = () => TryOutEvent[];

/** Why the route cannot send the command (no bot connected, a bad body): answered as `{error}`. */
export class TryOutRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Resolves whether `promise` settled within `ms`. */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  const late = sleep(ms, false, { signal: timer.signal }).catch(() => false);
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    timer.abort();
  }
}

function answerError(res: ServerResponse, status: number, error: string): void {
  const body = JSON.stringify({ error });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  start: (body: Record<string, unknown>) => Promise<TryOutPoll>,
): Promise<void> {
  const { method, body } = await readIncoming(req);
  if (method !== "POST") return answerError(res, 405, `${TRY_OUT_PATH} takes a POST`);
  let input: unknown;
  try {
    input = JSON.parse(body.toString("utf8"));
  } catch {
    return answerError(res, 400, "the body must be JSON");
  }
  if (typeof input !== "object" || input === null) return answerError(res, 400, "the body must be an object");
  let poll: TryOutPoll;
  try {
    poll = await start(input as Record<string, unknown>);
  } catch (error) {
    if (error instanceof TryOutRefusal) return answerError(res, error.status, error.message);
    throw error;
  }
  let gone = false;
  res.on("close", () => {
    gone = true;
  });
  res.writeHead(200, { "content-type": "application/x-ndjson" });
  const deadline = Date.now() + FOLLOW_MS;
  // The fakes keep their state in plain objects without change events, so the route looks every 50 ms;
  // each reply keeps every version it went through, so none is missed.
  while (!gone) {
    const events: TryOutEvent[] =
      Date.now() > deadline ? [{ failed: `No result within ${FOLLOW_MS / 60_000} minutes.` }] : poll();
    for (const event of events) res.write(`${JSON.stringify(event)}\n`);
    if (events.some((event) => !("stage" in event))) break;
    await sleep(POLL_MS);
  }
  res.end();
}

/** The control route, for a fake's `control` option: takes `POST /_fake/imagine`, leaves the rest. */
export function tryOutRoute(
  start: (body: Record<string, unknown>) => Promise<TryOutPoll>,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (new URL(req.url ?? "/", "http://fake.local").pathname !== TRY_OUT_PATH) return false;
    serve(req, res, start).catch((error: unknown) => {
      if (!res.headersSent) answerError(res, 500, `the fake failed: ${String(error)}`);
      else res.destroy();
    });
    return true;
  };
}

export interface TryOutRequest {
  /** The running fake, e.g. `http://127.0.0.1:4030`. */
  origin: string;
  /** The command that starts that fake, said when nothing listens there. */
  startHint: string;
  body: Record<string, unknown>;
  /** Folder the final images are written to. */
  out: string;
  /** For downloading the images (Slack's `url_private` takes the bot token). */
  downloadHeaders?: Record<string, string>;
}

export interface Printer {
  log(line: string): void;
  error(line: string): void;
}

async function* jsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<TryOutEvent> {
  let buffered = "";
  for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
    const lines = (buffered + chunk).split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") yield JSON.parse(line) as TryOutEvent;
  }
}

async function save(request: TryOutRequest, images: TryOutImage[], print: Printer): Promise<boolean> {
  await mkdir(request.out, { recursive: true });
  for (const image of images) {
    const response = await fetch(image.url, { headers: request.downloadHeaders ?? {} });
    if (!response.ok) {
      print.error(`Could not download ${image.url}: HTTP ${response.status}`);
      return false;
    }
    const path = resolve(join(request.out, basename(image.name)));
    await writeFile(path, Buffer.from(await response.arrayBuffer()));
    print.log(`saved ${path}`);
    print.log(`  from ${image.url}`);
  }
  return true;
}

/**
 * The client half: sends the command through the running fake, prints each stage of the reply as it
 * changes, then writes the final images to `out` and prints their paths and the buttons. Resolves with the
 * exit code: 0 for a result, 1 when nothing listens, no bot is connected, or the bot refused or failed.
 */
export async function tryOut(request: TryOutRequest, print: Printer): Promise<number> {
  let response: Response;
  try {
    response = await fetch(`${request.origin}${TRY_OUT_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request.body),
    });
  } catch {
    print.error(`Nothing is listening on ${request.origin}. Start the fake first: ${request.startHint}`);
    return 1;
  }
  if (!response.ok || response.body === null) {
    const text = await response.text();
    let error = text;
    try {
      error = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // Not the control route's JSON: something else listens on that port.
    }
    print.error(`${request.origin} answered HTTP ${response.status}: ${error}`);
    return 1;
  }
  for await (const event of jsonLines(response.body)) {
    if ("stage" in event) print.log(event.stage);
    else if ("failed" in event) {
      print.error(event.failed);
      return 1;
    } else {
      if (event.done.images.length === 0) print.log("(the bot answered without an image)");
      if (!(await save(request, event.done.images, print))) return 1;
      if (event.done.buttons.length > 0) print.log(`buttons: ${event.done.buttons.join("  ")}`);
      return 0;
    }
  }
  print.error("The fake closed the connection before the bot's result.");
  return 1;
}

/** The options of a try-out command, the same for every fake: `parseArgs` specs and their names. */
export const TRY_OUT_OPTIONS = {
  imagine: { type: "string" },
  size: { type: "string" },
  quality: { type: "string" },
  model: { type: "string" },
  format: { type: "string" },
  partials: { type: "string" },
  n: { type: "string" },
  out: { type: "string", default: "runs/try-out" },
} as const;

export const TRY_OUT_FLAGS = ["size", "quality", "model", "format", "partials", "n"] as const;
