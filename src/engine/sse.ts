import { APIError } from "openai";
import { fieldsToBytes, ImageField, LARGE_EVENT_BYTES, type WithBytes } from "./sse-image-fields.js";

/** Room for a typical event; grown by doubling for a long event that is not an image, shrunk back after it. */
const INITIAL_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * The JSON events of an OpenAI server-sent event stream, as the SDK's `Stream` yields them (an `error` event, or
 * an event whose data has `error`, throws the SDK's `APIError`; a stream aborted by `signal` just ends), read
 * for speed: an image event is megabytes of base64 on one line, and the SDK finds line and event ends with two
 * byte-by-byte JavaScript scans over all of it. Here `Buffer.indexOf` (native) finds an event's end, each byte
 * is looked at once, and only the event's data is decoded to a string, once. `imageFields` (top-level base64
 * strings such as `b64_json`) come out as their decoded bytes, decoded as they arrive and never held as text
 * (`sse-image-fields.ts`).
 */
export async function* sseEvents<T, K extends string = never>(
  response: Response,
  signal?: AbortSignal | null,
  imageFields: readonly K[] = [],
): AsyncGenerator<WithBytes<T, K>> {
  const body = response.body;
  if (body === null) return;
  const reader = body.getReader();
  const pending: Pending = {
    buffer: Buffer.allocUnsafe(INITIAL_BYTES),
    length: 0,
    searched: 0,
    field: undefined,
    lookedForField: false,
  };
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
      append(pending, chunk.value);
      let start = 0;
      for (
        let end = eventEnd(pending.buffer, pending.searched, pending.length);
        end !== undefined;
        end = eventEnd(pending.buffer, start, pending.length)
      ) {
        // Only the first event ending here is the unfinished one whose field was being decoded.
        const event = parseEvent(pending.buffer, start, end.at, response.headers, imageFields, pending.field);
        pending.field = undefined;
        pending.lookedForField = false;
        start = end.next;
        if (event === DONE) {
          finished = true;
          return;
        }
        if (event !== undefined) yield event as WithBytes<T, K>;
      }
      keepUnfinished(pending, start, imageFields);
    }
    if (pending.length > 0) {
      const event = parseEvent(
        pending.buffer,
        0,
        pending.length,
        response.headers,
        imageFields,
        pending.field,
      );
      if (event !== undefined && event !== DONE) yield event as WithBytes<T, K>;
    }
    finished = true;
  } finally {
    // Broken off early (an error, or the caller stopped reading): the request stops too.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** The bytes received and not yet handed out as events: one object a stream, updated in place. */
interface Pending {
  buffer: Buffer;
  length: number;
  /** Where the next search for an event's end starts: what came before it was searched already. */
  searched: number;
  /** The unfinished event's image field, decoded as it arrives; looked for once the event is large. */
  field: ImageField | undefined;
  lookedForField: boolean;
}

function append(pending: Pending, bytes: Uint8Array): void {
  const { buffer, length } = pending;
  if (length + bytes.length > buffer.length) {
    const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, length + bytes.length));
    buffer.copy(grown, 0, 0, length);
    pending.buffer = grown;
  }
  pending.buffer.set(bytes, length);
  pending.length = length + bytes.length;
}

/** After the events that ended in a chunk: the unfinished one moved to the front, its image field decoded. */
function keepUnfinished(pending: Pending, start: number, imageFields: readonly string[]): void {
  const { buffer } = pending;
  // Keep the unfinished event at the front (nothing to move while a long one is still arriving); give back
  // the room a large one took once it has gone.
  if (start > 0) {
    buffer.copy(buffer, 0, start, pending.length);
    pending.length -= start;
  }
  if (!pending.lookedForField && imageFields.length > 0 && pending.length >= LARGE_EVENT_BYTES) {
    pending.field = ImageField.find(buffer, 0, pending.length, imageFields);
    pending.lookedForField = true;
  }
  if (pending.field !== undefined) {
    // The base64 that came is decoded and leaves the buffer: an image's text is never held whole.
    const { field } = pending;
    const taken = field.decodeArrived(buffer, pending.length);
    buffer.copy(buffer, field.valueAt, field.valueAt + taken, pending.length);
    pending.length -= taken;
  }
  // An event end can straddle two chunks: search again from the last three bytes already seen.
  pending.searched = Math.max(0, pending.length - 3);
  // (Twice the initial room is kept: an image's field leaves a little undecoded after every 64 KiB piece.)
  if (buffer.length > 2 * INITIAL_BYTES && pending.length <= INITIAL_BYTES / 2) {
    const shrunk = Buffer.allocUnsafe(INITIAL_BYTES);
    buffer.copy(shrunk, 0, 0, pending.length);
    pending.buffer = shrunk;
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

/**
 * One event's `event:` and `data:` fields; its data parsed as JSON, or the end marker, or nothing (a comment).
 * `field` is its image field when some of it was decoded already, as it arrived.
 */
function parseEvent(
  buffer: Buffer,
  start: number,
  end: number,
  headers: Headers,
  imageFields: readonly string[],
  field?: ImageField,
): unknown {
  let name: string | undefined;
  const data: { from: number; to: number }[] = [];
  // Only this event's bytes: a search never runs on into the next event or past what was received.
  const event = buffer.subarray(0, end);
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = event.indexOf(NEWLINE, lineStart);
    if (lineEnd === -1) lineEnd = end;
    const contentEnd = lineEnd > lineStart && buffer[lineEnd - 1] === CARRIAGE_RETURN ? lineEnd - 1 : lineEnd;
    const colon = event.subarray(0, contentEnd).indexOf(":", lineStart);
    const fieldEnd = colon === -1 ? contentEnd : colon;
    const fieldName = buffer.toString("latin1", lineStart, fieldEnd);
    // The value after "field:", without the one space the format allows after the colon.
    let valueStart = fieldEnd < contentEnd ? fieldEnd + 1 : contentEnd;
    if (buffer[valueStart] === 0x20 && valueStart < contentEnd) valueStart += 1;
    if (fieldName === "data") data.push({ from: valueStart, to: contentEnd });
    else if (fieldName === "event") name = buffer.toString("utf8", valueStart, contentEnd);
    lineStart = lineEnd + 1;
  }
  if (data.length === 0) return undefined;
  // An image event is one data line: its image is decoded from the bytes (some of it already, as it came: the
  // line left in the buffer may then be short), the rest parsed.
  const only = data.length === 1 ? data[0] : undefined;
  let parsed: { error?: unknown } | null | undefined;
  if (only !== undefined && (field !== undefined || only.to - only.from >= LARGE_EVENT_BYTES)) {
    const image = field ?? ImageField.find(buffer, only.from, only.to, imageFields);
    parsed = image && json(() => image.finish(buffer, only.from, only.to));
  }
  if (parsed === undefined && field?.decodedSome) {
    // Not a plain image event after all (the field nested, escaped, on several lines): read whole, as sent.
    const restored = field.restore(buffer, start, end);
    return parseEvent(restored, 0, restored.length, headers, imageFields);
  }
  if (parsed === undefined) {
    const text = data.map(({ from, to }) => buffer.toString("utf8", from, to)).join("\n");
    if (text === "[DONE]") return DONE;
    parsed = json(() => JSON.parse(text) as { error?: unknown } | null);
    if (typeof parsed === "object" && parsed !== null) fieldsToBytes(parsed, imageFields);
  }
  if (name === "error")
    throw new APIError(undefined, (parsed?.error ?? parsed) as object, undefined, headers);
  if (parsed?.error) throw new APIError(undefined, parsed.error as object, undefined, headers);
  return parsed;
}

/** A parse whose failure is the SDK's error for malformed event data. */
function json<T>(parse: () => T): T {
  try {
    return parse();
  } catch {
    throw new SyntaxError("Error reading response: malformed server-sent event JSON.");
  }
}
