import { setTimeout as sleep } from "node:timers/promises";
import { SseStream } from "./sse.js";
import type { FakeState, RouteContext, StoredResponse } from "./state.js";

interface RecordedEvent {
  type: string;
  data: Record<string, unknown>;
}

/** Thrown inside a background run once it was cancelled: its producer stops at the next event. */
class RunCancelled extends Error {}

/**
 * One background response's events, kept as OpenAI keeps them: the generation runs on whether or not a
 * client is connected, and any client can read the stream again from a sequence number
 * (`GET /responses/{id}?stream=true&starting_after=n`). `sequence_number` is the event's index here.
 */
export class BackgroundRun {
  readonly #events: RecordedEvent[] = [];
  #done = false;
  #wake: Array<() => void> = [];

  constructor(
    private readonly state: FakeState,
    private readonly stored: StoredResponse,
  ) {}

  /**
   * Makes an event: paced once here (latency, the test's hook), so a held run stays held whoever reads it,
   * and refused once the response was cancelled.
   */
  readonly emit = async (type: string, fields: object): Promise<void> => {
    if (this.state.latencyMs > 0) await sleep(this.state.latencyMs);
    await this.state.pace?.(type);
    if (this.stored.cancelled) throw new RunCancelled();
    const data = { type, sequence_number: this.#events.length, ...fields };
    if (type === "response.in_progress") this.stored.body = { ...this.stored.body, status: "in_progress" };
    this.#events.push({ type, data });
    this.#notify();
  };

  /** Runs the producer detached from the request that started it; a cancel ends it quietly. */
  start(produce: () => Promise<void>): void {
    produce()
      .catch((error: unknown) => {
        if (!(error instanceof RunCancelled)) throw error;
      })
      .finally(() => this.finish());
  }

  /** No more events: readers get the end of the stream once they have read what there is. */
  finish(): void {
    this.#done = true;
    this.#notify();
  }

  /** Every event after `sequence` (-1: from the start), then each new one as it is made. */
  async *after(sequence: number): AsyncGenerator<RecordedEvent> {
    for (let next = Math.max(sequence + 1, 0); ; next++) {
      while (next >= this.#events.length && !this.#done) {
        await new Promise<void>((resolve) => this.#wake.push(resolve));
      }
      const event = this.#events[next];
      if (event === undefined) return;
      yield event;
    }
  }

  #notify(): void {
    const waiting = this.#wake;
    this.#wake = [];
    for (const resolve of waiting) resolve();
  }
}

/** Streams a background run to this request from `after` on; a planned failure cuts this reader only. */
export async function streamRun(ctx: RouteContext, run: BackgroundRun, after: number): Promise<void> {
  const sse = new SseStream(ctx.x, ctx.streamFailure, false);
  for await (const event of run.after(after)) await sse.send(event.type, event.data);
  await sse.end();
}
