import { APIError } from "openai";
import { describe, expect, it, vi } from "vitest";
import { sseEvents } from "../../src/engine/sse.js";
import { ImageField } from "../../src/engine/sse-image-fields.js";

/** A response whose body arrives in the given pieces, as a socket delivers it. */
function responseOf(pieces: (string | Buffer)[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(typeof piece === "string" ? Buffer.from(piece) : piece);
      controller.close();
    },
  });
  return new Response(body, { headers: { "x-request-id": "req_1" } });
}

async function all(response: Response, signal?: AbortSignal, imageFields: string[] = []): Promise<unknown[]> {
  const events: unknown[] = [];
  for await (const event of sseEvents(response, signal, imageFields)) events.push(event);
  return events;
}

/** The text cut into pieces at every `size` bytes. */
function cut(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}

const STREAM =
  'event: image_generation.partial_image\ndata: {"type":"partial","i":0}\n\n' +
  ": a comment\n\n" +
  'data: {"type":"text","delta":"é ☃ 🦊"}\n\n' +
  'event: image_generation.completed\ndata: {"type":"completed"}\n\n';
const EXPECTED = [{ type: "partial", i: 0 }, { type: "text", delta: "é ☃ 🦊" }, { type: "completed" }];

describe("reading OpenAI's server-sent events", () => {
  it("yields every event's JSON, however the bytes are cut (inside a character, a field, a blank line)", async () => {
    for (const size of [1, 2, 3, 5, 7, 64, 10_000])
      expect(await all(responseOf(cut(STREAM, size))), `${size}`).toEqual(EXPECTED);
  });

  it("reads CRLF line ends and data over several lines", async () => {
    const crlf = 'data: {"a":\r\ndata: 1}\r\n\r\ndata:{"b":2}\r\n\r\n';
    for (const size of [1, 2, 4, 100])
      expect(await all(responseOf(cut(crlf, size)))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("reads a multi-megabyte image event in 64 KiB pieces, and what follows it", async () => {
    const b64 = Buffer.alloc(3 * 1024 * 1024, 7).toString("base64");
    const text = `data: {"type":"partial","b64_json":"${b64}"}\n\ndata: {"type":"after"}\n\n`;
    const events = (await all(responseOf(cut(text, 64 * 1024)))) as { type: string; b64_json?: string }[];
    expect(events.map((event) => event.type)).toEqual(["partial", "after"]);
    expect(events[0]?.b64_json).toBe(b64);
  });

  it("gives an image field as its decoded bytes, however the event is written and cut", async () => {
    // Bytes of every value, so that a slice boundary in the wrong place would change them.
    const image = Buffer.from(Array.from({ length: 300_001 }, (_, index) => (index * 7919) % 256));
    const b64 = image.toString("base64");
    const events = [
      `data: {"type":"partial","b64_json":"${b64}","partial_image_index":2}`,
      `data: { "type" : "partial", "b64_json" :  "${b64}" , "size":"1536x1024"}`,
      // An encoder that escapes "/" (allowed in JSON) is read through the whole-event path.
      `data: {"type":"partial","b64_json":"${b64.replaceAll("/", "\\/")}"}`,
      // The same key in a nested object is not the event's image.
      `data: {"type":"nested","item":{"b64_json":"${b64}"},"b64_json":"${b64}"}`,
      // Data on two lines is one JSON text, the lines joined.
      `data: {"type":"lines",\ndata: "b64_json":"${b64}"}`,
      `data: {"type":"small","b64_json":"${image.subarray(0, 30).toString("base64")}"}`,
      'data: {"type":"none"}',
    ];
    const text = `${events.join("\n\n")}\n\n`;
    // Bytes compared as base64 text: one string comparison, where a Buffer's is one per byte.
    const asText = (event: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(event).map(([key, value]) => [
          key,
          Buffer.isBuffer(value) ? { bytes: value.toString("base64") } : value,
        ]),
      );
    const bytes = { bytes: b64 };
    for (const size of [997, 64 * 1024, 64 * 1024 + 1, 10_000_000]) {
      const read = (await all(responseOf(cut(text, size)), undefined, ["b64_json"])) as Record<
        string,
        unknown
      >[];
      expect(read.map(asText), `${size}`).toEqual([
        { type: "partial", b64_json: bytes, partial_image_index: 2 },
        { type: "partial", b64_json: bytes, size: "1536x1024" },
        { type: "partial", b64_json: bytes },
        { type: "nested", item: { b64_json: b64 }, b64_json: bytes },
        { type: "lines", b64_json: bytes },
        { type: "small", b64_json: { bytes: image.subarray(0, 30).toString("base64") } },
        { type: "none" },
      ]);
    }
  });

  it("decodes a plain image event as it arrives and never puts its text back together", async () => {
    const image = Buffer.from(Array.from({ length: 400_000 }, (_, index) => (index * 31) % 256));
    const text = Buffer.from(`data: {"type":"partial","b64_json":"${image.toString("base64")}","i":1}\n\n`);
    // Most of it in one piece (decoded at once), then a short last piece that ends the event.
    const restore = vi.spyOn(ImageField.prototype, "restore");
    try {
      const pieces = [text.subarray(0, text.length - 100), text.subarray(text.length - 100)];
      const [event] = (await all(responseOf(pieces), undefined, ["b64_json"])) as Record<string, unknown>[];
      expect((event?.b64_json as Buffer | undefined)?.toString("base64")).toBe(image.toString("base64"));
      expect(event?.i).toBe(1);
      expect(restore).not.toHaveBeenCalled();
    } finally {
      restore.mockRestore();
    }
  });

  it("ends at [DONE], and with the last event when the stream ends without a blank line", async () => {
    expect(await all(responseOf(['data: {"a":1}\n\ndata: [DONE]\n\ndata: {"b":2}\n\n']))).toEqual([{ a: 1 }]);
    expect(await all(responseOf(['data: {"a":1}\n\ndata: {"b":2}\n']))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("throws the SDK's APIError for an error event and for data that carries an error", async () => {
    const named = responseOf(['event: error\ndata: {"error":{"message":"boom","code":"server_error"}}\n\n']);
    await expect(all(named)).rejects.toBeInstanceOf(APIError);
    const inData = responseOf(['data: {"error":{"message":"moderation","code":"moderation_blocked"}}\n\n']);
    await expect(all(inData)).rejects.toMatchObject({ code: "moderation_blocked", message: "moderation" });
  });

  it("throws a SyntaxError for data that is not JSON", async () => {
    await expect(all(responseOf(["data: {not json\n\n"]))).rejects.toBeInstanceOf(SyntaxError);
  });

  it("stops the body when the reader stops early", async () => {
    let cancelled = false;
    // Still open after its first event, as a stream of an image still being made.
    const open = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Buffer.from('data: {"a":1}\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const _ of sseEvents(new Response(open))) break;
    expect(cancelled).toBe(true);
  });

  it("ends quietly when its request is aborted on purpose, and throws when the body fails otherwise", async () => {
    const controller = new AbortController();
    const failing = (error: Error) =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(stream) {
            stream.enqueue(Buffer.from('data: {"a":1}\n\n'));
            stream.error(error);
          },
        }),
      );
    controller.abort();
    expect(await all(failing(new Error("aborted")), controller.signal)).toEqual([{ a: 1 }]);
    await expect(all(failing(new TypeError("terminated")))).rejects.toThrow("terminated");
  });
});
