/**
 * The thread `js-decoder.ts` starts: decodes the formats read in JavaScript or WebAssembly (BMP, HEIC), whose
 * pixel loops would otherwise hold the worker's event loop for seconds. One request at a time.
 */
import { parentPort } from "node:worker_threads";
import { decodeBmp } from "./bmp.js";
import { decodeHeic } from "./heic.js";
import type { DecodeReply, DecodeRequest } from "./js-decoder.js";

const port = parentPort;
if (port === null) throw new Error("js-decode-thread.ts runs as a worker thread of js-decoder.ts");

port.on("message", async ({ format, bytes, maxPixels }: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const image = format === "heic" ? await decodeHeic(input, maxPixels) : decodeBmp(input);
    reply = { ok: true, ...image };
  } catch (error) {
    const { name, message } = error as Error;
    const reason = (error as { reason?: unknown }).reason;
    reply = { ok: false, name, message, ...(reason === "unsupported" ? { unsupported: true } : {}) };
  }
  // The pixels are moved, not copied, when they own their memory (a large Buffer.alloc does).
  const data = reply.ok ? reply.data : undefined;
  const movable = data !== undefined && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  port.postMessage(reply, movable ? [data.buffer as ArrayBuffer] : []);
});
