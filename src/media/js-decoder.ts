import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/** Formats whose pixels are decoded in JavaScript or WebAssembly rather than by libvips. */
export type JsDecodedFormat = "bmp" | "heic";

/** Decoded pixels, interleaved rows, ready for sharp's raw input. */
export interface RawPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

export interface DecodeRequest {
  format: JsDecodedFormat;
  bytes: Uint8Array;
  maxPixels: number;
}

export type DecodeReply =
  | ({ ok: true } & RawPixels)
  | { ok: false; name: string; message: string; unsupported?: true };

/**
 * A decode still running after this is abandoned (its thread ended). The largest input allowed (50 MP, a
 * 7070x7070 1-bit BMP) takes about 7 s here; four times that leaves room for a busy host.
 */
export const DEFAULT_DECODE_TIMEOUT_MS = 30_000;

/** The decoder's own refusal (a damaged file, a variant left out), as the thread reported it. */
export class JsDecodeError extends Error {
  constructor(
    readonly reason: "corrupt" | "unsupported",
    message: string,
  ) {
    super(message);
    this.name = "JsDecodeError";
  }
}

/** A decode that ran past its time limit and was abandoned. */
export class DecodeTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`decode abandoned after ${timeoutMs} ms`);
    this.name = "DecodeTimeoutError";
  }
}

// The built program runs `.js`; tests and `npm run dev` run the TypeScript, which the thread reads through tsx.
const extension = extname(fileURLToPath(import.meta.url));
const entry = new URL(`./js-decode-thread${extension}`, import.meta.url);
const needsTsx = extension === ".ts" && !process.execArgv.some((arg) => arg.includes("tsx"));

/** The one decode thread of this process, started on first use; a pool of one, as decodes queue (`queue`). */
let thread: Worker | undefined;
/** Decodes run one at a time: each can take hundreds of megabytes. */
let queue: Promise<unknown> = Promise.resolve();

function decodeThread(): Worker {
  if (thread !== undefined) return thread;
  const started = new Worker(entry, needsTsx ? { execArgv: ["--import", "tsx"] } : {});
  // An idle thread does not keep the process alive.
  started.unref();
  started.once("exit", () => {
    if (thread === started) thread = undefined;
  });
  thread = started;
  return started;
}

/**
 * Decodes a BMP or HEIC on the decode thread, so the event loop that answers everyone stays free; abandoned,
 * the thread ended, after `timeoutMs`. The caller has checked the header (format, pixel count) already.
 * @throws `JsDecodeError` from the decoder, `DecodeTimeoutError`, or an `Error` if the thread died.
 */
export function decodeOffLoop(
  format: JsDecodedFormat,
  bytes: Buffer,
  maxPixels: number,
  timeoutMs = DEFAULT_DECODE_TIMEOUT_MS,
): Promise<RawPixels> {
  const run = queue.then(() => decodeOnThread({ format, bytes, maxPixels }, timeoutMs));
  queue = run.catch(() => undefined);
  return run;
}

function decodeOnThread(request: DecodeRequest, timeoutMs: number): Promise<RawPixels> {
  const worker = decodeThread();
  worker.ref();
  return new Promise<RawPixels>((resolve, reject) => {
    const settle = () => {
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      worker.unref();
    };
    const onMessage = (reply: DecodeReply) => {
      settle();
      if (reply.ok) {
        const { data, width, height, channels } = reply;
        resolve({
          data: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
          width,
          height,
          channels,
        });
      } else reject(new JsDecodeError(reply.unsupported ? "unsupported" : "corrupt", reply.message));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new Error(`the decode thread exited (code ${code})`));
    };
    const timer = setTimeout(() => {
      settle();
      if (thread === worker) thread = undefined;
      void worker.terminate();
      reject(new DecodeTimeoutError(timeoutMs));
    }, timeoutMs);
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    worker.postMessage(request);
  });
}
