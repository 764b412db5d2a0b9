/**
 * An image event's data is megabytes of base64 in one JSON string field. Decoding it to text and parsing that
 * made two strings of that size per frame, living until the next full garbage collection, and the reader held
 * the whole event's text while it arrived: with many jobs streaming at once that was most of a worker's
 * memory. Here the field's base64 is decoded as it arrives, straight from the received bytes, and dropped from
 * the reader's buffer; only the rest of the event (a few hundred bytes) is parsed as JSON.
 */

/** `T` (each member of a union) with the named base64 fields as their decoded bytes. */
export type WithBytes<T, K extends string> = T extends unknown
  ? { [P in keyof T]: P extends K ? Buffer : T[P] }
  : never;

/** Below this, an event is parsed whole: the saving is not worth the search. */
export const LARGE_EVENT_BYTES = 16 * 1024;
/** Base64 decoded per slice: a multiple of 4 characters, small enough for short-lived strings. */
const SLICE_CHARACTERS = 64 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
/** Where plain base64 stops: the closing quote, padding, an escape, the end of the line. */
const STOPS = [QUOTE, 0x3d, BACKSLASH, NEWLINE];

const patterns = new Map<string, Buffer>();
function keyPattern(field: string): Buffer {
  let pattern = patterns.get(field);
  if (pattern === undefined) {
    pattern = Buffer.from(`"${field}"`);
    patterns.set(field, pattern);
  }
  return pattern;
}

const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0d;

/** Base64 characters to bytes, a slice at a time. */
function decodeBase64(bytes: Buffer, from: number, to: number): Buffer {
  const out = Buffer.allocUnsafeSlow(Math.ceil((to - from) / 4) * 3);
  let written = 0;
  for (let at = from; at < to; at += SLICE_CHARACTERS) {
    const slice = bytes.toString("latin1", at, Math.min(to, at + SLICE_CHARACTERS));
    written += out.write(slice, written, "base64");
  }
  return out.subarray(0, written);
}

/**
 * One event's image field: found in the bytes received so far, its base64 decoded as more arrives. What it
 * decoded is gone from the reader's buffer, which keeps the event's bytes before the value (`valueAt`) and
 * those not decoded yet after it.
 */
export class ImageField {
  readonly #pieces: Buffer[] = [];

  private constructor(
    readonly name: string,
    /** Where the value's undecoded base64 starts in the reader's buffer. */
    readonly valueAt: number,
  ) {}

  /**
   * The first of `fields` whose string value starts between `start` and `end`. A key's quotes are never
   * escaped and a quote inside a JSON string always is: `"field"` then a colon is a key, not text in a string
   * (though perhaps a nested object's key: `finish` checks).
   */
  static find(bytes: Buffer, start: number, end: number, fields: readonly string[]): ImageField | undefined {
    const received = bytes.subarray(0, end);
    for (const name of fields) {
      const key = received.indexOf(keyPattern(name), start);
      if (key === -1) continue;
      let at = key + name.length + 2;
      while (at < end && isSpace(bytes[at])) at++;
      if (bytes[at] !== COLON) continue;
      at++;
      while (at < end && isSpace(bytes[at])) at++;
      if (at < end && bytes[at] === QUOTE) return new ImageField(name, at + 1);
    }
    return undefined;
  }

  /**
   * Decodes the whole 4-character groups of plain base64 received after `valueAt` (up to `length`).
   * @returns how many bytes of the buffer it took, from `valueAt`: the caller removes them.
   */
  decodeArrived(bytes: Buffer, length: number): number {
    const received = bytes.subarray(0, length);
    let plainEnd = length;
    for (const stop of STOPS) {
      const at = received.indexOf(stop, this.valueAt);
      if (at !== -1 && at < plainEnd) plainEnd = at;
    }
    const plain = plainEnd - this.valueAt;
    const taken = plain - (plain % 4);
    if (taken > 0) this.#pieces.push(decodeBase64(bytes, this.valueAt, this.valueAt + taken));
    return taken;
  }

  /**
   * The JSON of the event's data between `from` and `to` (the field's value inside it), with the field as its
   * decoded bytes; `undefined` when the value is not a plain top-level base64 string (then `restore` gives
   * the event's bytes back for a whole parse).
   * @throws SyntaxError when the rest is not JSON.
   */
  finish(bytes: Buffer, from: number, to: number): Record<string, unknown> | undefined {
    if (this.valueAt < from || this.valueAt > to) return undefined;
    const close = bytes.subarray(0, to).indexOf(QUOTE, this.valueAt);
    if (close === -1) return undefined;
    // Base64 has no backslash; an escape (`\/` from some encoders) is left to the whole parse.
    const backslash = bytes.subarray(0, close).indexOf(BACKSLASH, this.valueAt);
    if (backslash !== -1) return undefined;
    const rest = bytes.toString("utf8", from, this.valueAt) + bytes.toString("utf8", close, to);
    const parsed = JSON.parse(rest) as unknown;
    // At the top level (not a nested object's key of the same name): the emptied string is there.
    if (
      typeof parsed !== "object" ||
      parsed === null ||
      (parsed as Record<string, unknown>)[this.name] !== ""
    )
      return undefined;
    const last = decodeBase64(bytes, this.valueAt, close);
    const image = this.#pieces.length === 0 ? last : Buffer.concat([...this.#pieces, last]);
    (parsed as Record<string, unknown>)[this.name] = image;
    return parsed as Record<string, unknown>;
  }

  /** The event's original bytes from `start` to `end`, what was decoded put back as the base64 it was. */
  restore(bytes: Buffer, start: number, end: number): Buffer {
    const decoded = Buffer.from(Buffer.concat(this.#pieces).toString("base64"), "latin1");
    return Buffer.concat([bytes.subarray(start, this.valueAt), decoded, bytes.subarray(this.valueAt, end)]);
  }

  /** Whether some of the value has left the reader's buffer already. */
  get decodedSome(): boolean {
    return this.#pieces.length > 0;
  }
}

/** Any of `fields` still a base64 string, decoded: every event has its images as bytes, however it was read. */
export function fieldsToBytes(
  event: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  for (const field of fields) {
    const value = event[field];
    if (typeof value === "string") event[field] = Buffer.from(value, "base64");
  }
  return event;
}
