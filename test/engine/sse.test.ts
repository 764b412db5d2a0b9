import { APIError } from "openai";
import { describe, expect, it } from "vitest";
import { sseEvents } from "../../src/engine/sse.js";

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

async function all(response: Response, signal?: AbortSignal): Promise<unknown[]> {
  const events: unknown[] = [];
  for await (const event of sseEvents(response, signal)) events.push(event);
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
