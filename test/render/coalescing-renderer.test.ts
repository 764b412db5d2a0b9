import { describe, expect, it } from "vitest";
import { type UserError, userError } from "../../src/core/errors.js";
import type { ImageBytes } from "../../src/core/images.js";
import { CoalescingRenderer } from "../../src/render/coalescing-renderer.js";
import type { Renderer, RenderResult } from "../../src/render/renderer.js";

const frame = (label: string): ImageBytes => ({ bytes: Buffer.from(label), format: "png" });

/** A platform renderer whose every edit takes as long as the test says, recording what reached it. */
class SlowRenderer implements Renderer {
  calls: string[] = [];
  private releases: Array<() => void> = [];
  failPartials = false;

  /** Lets the oldest waiting edit finish. */
  release(): void {
    this.releases.shift()?.();
  }

  private edit(label: string): Promise<void> {
    this.calls.push(label);
    return new Promise((resolve, reject) => {
      this.releases.push(() =>
        this.failPartials && label.startsWith("partial") ? reject(new Error("429")) : resolve(),
      );
    });
  }

  async queued(position: number) {
    this.calls.push(`queued:${position}`);
  }
  async started() {
    this.calls.push("started");
  }
  partial(image: ImageBytes, index: number) {
    return this.edit(`partial:${index}:${image.bytes.toString()}`);
  }
  text(delta: string) {
    return this.edit(`text:${delta}`);
  }
  async completed(result: RenderResult) {
    this.calls.push(`completed:${result.runId}`);
  }
  async failed(error: UserError) {
    this.calls.push(`failed:${error.code}`);
  }
}

const result = { runId: "run-1" } as RenderResult;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("CoalescingRenderer", () => {
  it("keeps only the newest frame while an edit is in flight, then delivers the final", async () => {
    const inner = new SlowRenderer();
    const renderer = new CoalescingRenderer(inner);
    await renderer.partial(frame("a"), 0); // starts at once
    await renderer.partial(frame("b"), 1); // pending
    await renderer.partial(frame("c"), 2); // replaces b
    expect(inner.calls).toEqual(["partial:0:a"]);
    inner.release();
    await tick();
    expect(inner.calls).toEqual(["partial:0:a", "partial:2:c"]);
    const done = renderer.completed(result);
    await renderer.partial(frame("late"), 3); // after completion: ignored
    inner.release();
    await done;
    expect(inner.calls).toEqual(["partial:0:a", "partial:2:c", "completed:run-1"]);
  });

  it("drops frames still pending when the result arrives, but never the result", async () => {
    const inner = new SlowRenderer();
    const renderer = new CoalescingRenderer(inner);
    await renderer.partial(frame("a"), 0);
    await renderer.partial(frame("b"), 1);
    const done = renderer.completed(result);
    inner.release();
    await done;
    expect(inner.calls).toEqual(["partial:0:a", "completed:run-1"]);
  });

  it("joins text deltas that arrive during an edit", async () => {
    const inner = new SlowRenderer();
    const renderer = new CoalescingRenderer(inner);
    await renderer.text("Here ");
    await renderer.text("is ");
    await renderer.text("your cat.");
    inner.release();
    await tick();
    expect(inner.calls).toEqual(["text:Here ", "text:is your cat."]);
    inner.release();
    await renderer.settle();
  });

  it("survives a failed intermediate edit and still delivers the failure message", async () => {
    const inner = new SlowRenderer();
    inner.failPartials = true;
    const renderer = new CoalescingRenderer(inner);
    await renderer.partial(frame("a"), 0);
    inner.release();
    await renderer.settle();
    await renderer.failed(userError("moderation_blocked_output"));
    expect(inner.calls).toEqual(["partial:0:a", "failed:moderation_blocked_output"]);
  });

  it("does not block the caller while an edit is slow", async () => {
    const inner = new SlowRenderer();
    const renderer = new CoalescingRenderer(inner);
    for (let index = 0; index < 100; index++) await renderer.partial(frame(String(index)), index);
    expect(inner.calls).toEqual(["partial:0:0"]);
    inner.release();
    await tick();
    expect(inner.calls).toEqual(["partial:0:0", "partial:99:99"]);
    inner.release();
    await renderer.settle();
  });
});
