import type { UserError } from "../core/errors.js";
import type { ImageBytes } from "../core/images.js";
import type { Logger } from "../logger.js";
import { metrics } from "../metrics.js";
import type { Renderer, RenderResult } from "./renderer.js";

/** A frame waiting to be shown, with when it reached the worker (for the partial-to-edit latency). */
interface PendingFrame {
  image: ImageBytes;
  index: number;
  arrivedAt: number;
}

type PendingUpdate = ({ kind: "frame" } & PendingFrame) | { kind: "text"; delta: string };

/**
 * Wraps a platform renderer so that slow edits never slow the model's stream and never pile up:
 * while one edit is in flight, only the newest pending frame is kept (latest wins) and text deltas are
 * joined; `completed` and `failed` wait for the edit in flight, drop what is still pending, and are always
 * delivered. A failed intermediate edit is logged and forgotten; a failed final edit is the caller's error.
 */
export class CoalescingRenderer implements Renderer {
  private inFlight: Promise<void> | undefined;
  private pendingFrame: PendingFrame | undefined;
  private pendingText = "";
  private finished = false;

  /** `platform` labels the partial-to-edit latency in `/metrics`; none, nothing is measured. */
  constructor(
    private readonly inner: Renderer,
    private readonly logger?: Logger,
    private readonly platform?: string,
  ) {}

  async queued(position: number): Promise<void> {
    await this.settle();
    if (!this.finished) await this.inner.queued(position);
  }

  async started(resumed = false): Promise<void> {
    await this.settle();
    if (!this.finished) await this.inner.started(resumed);
  }

  /** Returns at once: the engine keeps reading its stream while the platform catches up. */
  partial(image: ImageBytes, index: number): Promise<void> {
    if (!this.finished) {
      this.pendingFrame = { image, index, arrivedAt: performance.now() };
      this.pump();
    }
    return Promise.resolve();
  }

  text(delta: string): Promise<void> {
    if (!this.finished) {
      this.pendingText += delta;
      this.pump();
    }
    return Promise.resolve();
  }

  async completed(result: RenderResult): Promise<void> {
    await this.finish();
    await this.inner.completed(result);
  }

  async failed(error: UserError): Promise<void> {
    await this.finish();
    await this.inner.failed(error);
  }

  /** Resolves once nothing is in flight or pending; used by `queued`, `started` and tests. */
  async settle(): Promise<void> {
    while (this.inFlight !== undefined) await this.inFlight;
  }

  private async finish(): Promise<void> {
    this.finished = true;
    this.pendingFrame = undefined;
    this.pendingText = "";
    await this.settle();
  }

  private pump(): void {
    if (this.inFlight !== undefined) return;
    const update = this.takePending();
    if (update === undefined) return;
    this.inFlight = this.deliver(update).finally(() => {
      this.inFlight = undefined;
      this.pump();
    });
  }

  private takePending(): PendingUpdate | undefined {
    // Text first: it is small, and a frame edit usually carries the latest text with it anyway.
    if (this.pendingText !== "") {
      const delta = this.pendingText;
      this.pendingText = "";
      return { kind: "text", delta };
    }
    const frame = this.pendingFrame;
    this.pendingFrame = undefined;
    return frame === undefined ? undefined : { kind: "frame", ...frame };
  }

  private async deliver(update: PendingUpdate): Promise<void> {
    try {
      if (update.kind === "frame") {
        await this.inner.partial(update.image, update.index);
        if (this.platform !== undefined) {
          const seconds = (performance.now() - update.arrivedAt) / 1000;
          metrics.partialToEdit.observe({ platform: this.platform }, seconds);
        }
      } else await this.inner.text(update.delta);
    } catch (error) {
      this.logger?.warn(
        { err: error, update: update.kind },
        "intermediate render failed; the next update replaces it",
      );
    }
  }
}
