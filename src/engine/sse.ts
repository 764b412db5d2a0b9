import { APIError } from "openai";

/** Room for a typical event; grown by doubling for a multi-megabyte image event, shrunk back after it. */
const INITIAL_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * The JSON events of an OpenAI server-sent event stream, as the SDK's `Stream` yields them (an `error` event, or
 * an event whose data has `error`, throws the SDK's `APIError`; a stream aborted by `signal` just ends), read
 * for speed: an image event is megabytes of base64 on one line, and the SDK finds line and event ends with two
 * byte-by-byte JavaScript scans over all of it. Here `Buffer.indexOf` (native) finds an event's end, each byte
 * is looked at once, and only the event's data is decoded to a string, once.
 */
export async function* sseEvents<T>(response: Response, signal?: AbortSignal | null): AsyncGenerator<T> {
  const body = response.body;
  if (body === null) return;
  const reader = body.getReader();
  let buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  let length = 0;
  /** Where the next search for an event's end starts: what came before it was searched already. */
  let searched = 0;
  let finished = false;
  try {
    while (true) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        // As the SDK's stream: a request aborted on purpose ends the events, it is not an error.
        if (signal?.aborted) return;
        throw error;
      }
      if (chunk.done) break;
      const bytes = chunk.value;
      if (length + bytes.length > buffer.length) {
        const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, length + bytes.length));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      buffer.set(bytes, length);
      length += bytes.length;
      let start = 0;
      for (
        let end = eventEnd(buffer, searched, length);
        end !== undefined;
        end = eventEnd(buffer, start, length)
      ) {
        const event = parseEvent(buffer, start, end.at, response.headers);
        start = end.next;
        if (event === DONE) {
          finished = true;
          return;
        }
        if (event !== undefined) yield event as T;
      }
      // Keep the unfinished event at the front (nothing to move while a long one is still arriving); give back
      // the room a large one took once it has gone.
      if (start > 0) {
        buffer.copy(buffer, 0, start, length);
        length -= start;
      }
      // An event end can straddle two chunks: search again from the last three bytes already seen.
      searched = Math.max(0, length - 3);
      if (buffer.length > INITIAL_BYTES && length <= INITIAL_BYTES / 2) {
        const shrunk = Buffer.allocUnsafe(INITIAL_BYTES);
        buffer.copy(shrunk, 0, 0, length);
        buffer = shrunk;
      }
    }
    if (length > 0) {
      const event = parseEvent(buffer, 0, length, response.headers);
      if (event !== undefined && event !== DONE) yield event as T;
    }
    finished = true;
  } finally {
    // Broken off early (an error, or the caller stopped reading): the request stops too.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

const DONE = Symbol("[DONE]");

/** OpenAI's id of the request, as the SDK's `withResponse()` reports it. */
export function requestIdOf(response: Response): string | undefined {
  return response.headers.get("x-request-id") ?? undefined;
}

/** The first blank line at or after `from`: where the event ends (`at`) and the next one starts (`next`). */
function eventEnd(buffer: Buffer, from: number, length: number): { at: number; next: number } | undefined {
  // Only the bytes received: past `length` is what an earlier, longer event left in the buffer.
  const filled = buffer.subarray(0, length);
  let index = filled.indexOf(NEWLINE, from);
  while (index !== -1) {
    // "\n\n" or "\n\r\n" (a CRLF stream's blank line), the line before it ending in "\n" or "\r\n".
    const after = index + 1;
    if (after < length && buffer[after] === NEWLINE) return { at: index, next: after + 1 };
    if (after + 1 < length && buffer[after] === CARRIAGE_RETURN && buffer[after + 1] === NEWLINE)
      return { at: index, next: after + 2 };
    index = filled.indexOf(NEWLINE, after);
  }
  return undefined;
}

/** One event's `event:` and `data:` fields; its data parsed as JSON, or the end marker, or nothing (a comment). */
function parseEvent(buffer: Buffer, start: number, end: number, headers: Headers): unknown {
  let name: string | undefined;
  const data: string[] = [];
  // Only this event's bytes: a search never runs on into the next event or past what was received.
  const event = buffer.subarray(0, end);
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = event.indexOf(NEWLINE, lineStart);
    if (lineEnd === -1) lineEnd = end;
    const contentEnd = lineEnd > lineStart && buffer[lineEnd - 1] === CARRIAGE_RETURN ? lineEnd - 1 : lineEnd;
    const colon = event.subarray(0, contentEnd).indexOf(":", lineStart);
    const fieldEnd = colon === -1 ? contentEnd : colon;
    const field = buffer.toString("latin1", lineStart, fieldEnd);
    // The value after "field:", without the one space the format allows after the colon.
    let valueStart = fieldEnd < contentEnd ? fieldEnd + 1 : contentEnd;
    if (buffer[valueStart] === 0x20 && valueStart < contentEnd) valueStart += 1;
    if (field === "data") data.push(buffer.toString("utf8", valueStart, contentEnd));
    else if (field === "event") name = buffer.toString("utf8", valueStart, contentEnd);
    lineStart = lineEnd + 1;
  }
  if (data.length === 0) return undefined;
  const text = data.length === 1 ? (data[0] as string) : data.join("\n");
  if (text === "[DONE]") return DONE;
  let parsed: { error?: unknown } | null;
  try {
    parsed = JSON.parse(text) as { error?: unknown } | null;
  } catch {
    throw new SyntaxError("Error reading response: malformed server-sent event JSON.");
  }
  if (name === "error")
    throw new APIError(undefined, (parsed?.error ?? parsed) as object, undefined, headers);
  if (parsed?.error) throw new APIError(undefined, parsed.error as object, undefined, headers);
  return parsed;
}
