import type { StreamFailure } from "./failures.js";
import { commonHeaders, destroy, type Exchange, wait } from "./http.js";

/** Thrown by `send` when the stream must stop (cut, error sent, or client gone). */
export class StreamStopped extends Error {}

/**
 * Server-sent events as OpenAI writes them: `event: <type>` and one `data: <json>` line per
 * event, no `[DONE]` sentinel (the Images and Responses streams simply end).
 */
export class SseStream {
  #sent = 0;
  #stopped = false;

  /**
   * `paced: false` writes each event as it is given: a background response's events were paced (latency,
   * the test's hook) once, when they were made, not again for every client that reads them.
   */
  constructor(
    private readonly x: Exchange,
    private readonly failure: StreamFailure | undefined,
    private readonly paced = true,
  ) {
    x.res.writeHead(200, {
      ...commonHeaders(x),
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    x.res.flushHeaders();
  }

  /** Latency applies before every event so tests can watch partials arrive one by one. */
  async send(event: string, data: object): Promise<void> {
    this.#checkFailure();
    if (this.paced) {
      await wait(this.x);
      await this.x.beforeEvent(event);
    }
    if (this.x.res.destroyed) this.#stop();
    // Encoded before the event is stamped as written: turning a 3840x2160 partial's text into bytes takes the
    // fake 2-3 ms, which is not the bot's time.
    const bytes = Buffer.from(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    this.x.writing(event, data);
    // Waiting for the flush means a planned cut never discards events still in Node's buffer.
    await new Promise<void>((resolve) => this.x.res.write(bytes, () => resolve()));
    this.#sent++;
    // Cut at once, not when the next event is ready: a background run's next event may be held.
    this.#checkFailure();
  }

  /** A planned failure past the last event still happens: the stream never ends cleanly. */
  async end(): Promise<void> {
    if (this.#stopped) return;
    if (this.failure) {
      try {
        this.#fail();
      } catch {
        return;
      }
    }
    this.x.res.end();
  }

  #checkFailure(): void {
    if (this.#stopped) throw new StreamStopped();
    if (this.failure && this.#sent >= this.failure.afterEvents) this.#fail();
  }

  #fail(): never {
    const failure = this.failure;
    if (failure?.type === "stream_error") {
      // Same envelope as the Responses API's `error` event; the SDK throws an APIError
      // (status undefined) built from `data.error ?? data`.
      const error = {
        type: "error",
        code: failure.code ?? "server_error",
        message: failure.message ?? "The server had an error while processing your request.",
        param: null,
        sequence_number: this.#sent,
      };
      this.x.res.end(`event: error\ndata: ${JSON.stringify(error)}\n\n`);
    } else {
      destroy(this.x);
    }
    this.#stop();
  }

  #stop(): never {
    this.#stopped = true;
    throw new StreamStopped();
  }
}
