import { describe, expect, it } from "vitest";
import { userError } from "../../src/core/errors.js";
import type { ImageBytes } from "../../src/core/images.js";
import type { RenderResult } from "../../src/render/renderer.js";
import { TerminalRenderer } from "../../src/render/terminal-renderer.js";

class Captured {
  text = "";
  constructor(readonly isTTY = false) {}
  write(chunk: string): void {
    this.text += chunk;
  }
  /** Lines as a pipe shows them, without the elapsed-time stamp. */
  get lines(): string[] {
    return this.text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => line.replace(/^\[\d+\.\ds\] /, ""));
  }
}

const frame: ImageBytes = { bytes: Buffer.alloc(2048), format: "png" };

function result(images: number): RenderResult {
  return {
    runId: "run",
    jobId: "run",
    request: {} as RenderResult["request"],
    images: Array.from({ length: images }, () => frame),
    imageKeys: Array.from({ length: images }, (_, i) => `run/final_${i}.png`),
  };
}

/** Feeds partial indexes in order, then completes with `images` images. */
async function stream(renderer: TerminalRenderer, indexes: number[], images = 1): Promise<void> {
  await renderer.started();
  for (const index of indexes) await renderer.partial(frame, index);
  await renderer.completed(result(images));
}

describe("TerminalRenderer", () => {
  it("never prints queued after generating: a position learnt late is stale", async () => {
    const out = new Captured();
    const renderer = new TerminalRenderer(out, 0);
    await renderer.started();
    await renderer.queued(0);
    expect(out.lines).toEqual(["generating…"]);
  });

  it.each([
    [[0], 1, "done: 1 image after 1 partial"],
    [[0, 1], 1, "done: 1 image after 2 partials"],
    [[], 2, "done: 2 images"],
    [[0, 1, 0, 1], 2, "done: 2 images after 4 partials"],
  ])("counts partials %j of %i image(s) with the right plurals", async (indexes, images, last) => {
    const out = new Captured();
    await stream(new TerminalRenderer(out, 2, images), indexes, images);
    expect(out.lines.at(-1)).toBe(last);
  });

  it("counts only the partials of the stream that finished when a retried stream starts over", async () => {
    const out = new Captured();
    await stream(new TerminalRenderer(out, 2), [0, 0, 1]);
    expect(out.lines).toEqual([
      "generating…",
      "partial 1/2 received (png, 2 KB)",
      "the stream from OpenAI broke off; starting over",
      "partial 1/2 received (png, 2 KB)",
      "partial 2/2 received (png, 2 KB)",
      "done: 1 image after 2 partials",
    ]);
  });

  it("names the image each partial belongs to when there are several", async () => {
    const out = new Captured();
    await stream(new TerminalRenderer(out, 1, 2), [0, 0], 2);
    expect(out.lines.slice(1, 3)).toEqual([
      "partial 1/1 of image 1/2 received (png, 2 KB)",
      "partial 1/1 of image 2/2 received (png, 2 KB)",
    ]);
  });

  it("leaves the model's text to the result outside a terminal, and shows it live on one", async () => {
    const pipe = new Captured(false);
    const piped = new TerminalRenderer(pipe, 0);
    await piped.text("Here is ");
    await piped.text("your image.");
    expect(pipe.text).toBe("");

    const tty = new Captured(true);
    const live = new TerminalRenderer(tty, 0);
    await live.text("Here is ");
    await live.text("your image.");
    expect(tty.text).not.toContain("\n");
    expect(tty.text.endsWith("model: Here is your image.")).toBe(true);
  });

  it("ends with the failure as its one last line", async () => {
    const out = new Captured();
    const renderer = new TerminalRenderer(out, 0);
    await renderer.started();
    await renderer.failed(userError("insufficient_quota"));
    expect(out.lines).toEqual([
      "generating…",
      "failed (insufficient_quota): The bot's OpenAI account has run out of credit (insufficient_quota). The operator needs to check billing at https://platform.openai.com/settings/organization/billing.",
    ]);
    expect(renderer.outcome).toMatchObject({ ok: false });
  });
});
