/**
 * One attempt's abort signal: aborts when the caller's signal does, or when OpenAI has sent nothing for
 * `ms`. The SDK's `timeout` only covers the wait for response headers; a stream that stalls after them would
 * otherwise hold the job forever. The clock only runs while the engine waits on OpenAI: `pause` while the
 * caller handles an event, so a slow renderer never counts as a silent server.
 */
export class IdleTimeout {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal | undefined;
  readonly #ms: number;
  readonly #onParentAbort = () => this.#controller.abort(this.#parent?.reason);
  #timer: NodeJS.Timeout | undefined;
  #timedOut = false;

  constructor(parent: AbortSignal | undefined, ms: number) {
    this.#parent = parent;
    this.#ms = ms;
    if (parent?.aborted) this.#controller.abort(parent.reason);
    else parent?.addEventListener("abort", this.#onParentAbort, { once: true });
    this.touch();
  }

  /** Pass this to the request. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether this timeout, not the caller, ended the attempt. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  get ms(): number {
    return this.#ms;
  }

  /** Restarts the clock: OpenAI just sent something, or the engine is waiting on it again. */
  touch(): void {
    this.pause();
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new DOMException(`OpenAI sent nothing for ${this.#ms} ms`, "TimeoutError"));
    }, this.#ms);
  }

  pause(): void {
    clearTimeout(this.#timer);
  }

  dispose(): void {
    this.pause();
    this.#parent?.removeEventListener("abort", this.#onParentAbort);
  }
}
