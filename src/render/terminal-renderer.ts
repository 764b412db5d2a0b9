import type { UserError } from "../core/errors.js";
import type { ImageBytes } from "../core/images.js";
import { plural } from "../core/plural.js";
import type { Renderer, RenderResult } from "./renderer.js";

export interface TerminalOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

function kilobytes(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * The CLI's renderer: one progress line on a terminal (rewritten in place), or one line per step when the
 * output is a pipe or a file, so logs stay readable. Results are the CLI's to print on stdout, so the model's
 * text appears here only as the live tail of a terminal's status line; a failure is this renderer's last line.
 */
export class TerminalRenderer implements Renderer {
  private readonly startedAt = Date.now();
  private stage: "waiting" | "queued" | "started" | "ended" = "waiting";
  private textSeen = "";
  /**
   * Partials of the stream that produced the result. A retried stream starts over from partial 0 (the engine
   * says so), so a repeated index of the same image starts the count again instead of adding to it.
   */
  private partials = { shown: 0, images: 0, lastIndex: -1 };
  /** Set once the run ends, so the CLI can choose its exit code. */
  outcome: { ok: true; result: RenderResult } | { ok: false; error: UserError } | undefined;

  constructor(
    private readonly out: TerminalOutput,
    private readonly expectedPartials: number,
    private readonly expectedImages = 1,
  ) {}

  async queued(position: number): Promise<void> {
    // A position learnt after the job started is stale: never print "queued" below "generating".
    if (this.stage !== "waiting") return;
    this.stage = "queued";
    this.status(position > 0 ? `queued (position ${position})` : "queued");
  }

  async started(resumed = false): Promise<void> {
    if (this.stage === "started" || this.stage === "ended") return;
    this.stage = "started";
    this.status(resumed ? "resuming…" : "generating…");
  }

  async partial(image: ImageBytes, index: number): Promise<void> {
    this.countPartial(index);
    const of = this.expectedPartials > 0 ? `/${this.expectedPartials}` : "";
    const which =
      this.expectedImages > 1 ? ` of image ${Math.max(1, this.partials.images)}/${this.expectedImages}` : "";
    this.status(
      `partial ${index + 1}${of}${which} received (${image.format}, ${kilobytes(image.bytes.length)})`,
    );
  }

  async text(delta: string): Promise<void> {
    this.textSeen += delta;
    // Outside a terminal every status stays on its own line: the text would be printed twice (here and with
    // the result on stdout), word by word.
    if (this.out.isTTY) this.status(`model: ${this.textSeen.replace(/\s+/g, " ").slice(-60)}`);
  }

  async completed(result: RenderResult): Promise<void> {
    this.outcome = { ok: true, result };
    this.stage = "ended";
    // One stream has at most `partials` per image, whatever a misread restart added.
    const shown = Math.min(this.partials.shown, this.expectedPartials * this.expectedImages);
    this.status(
      `done: ${plural(result.images.length, "image")}${shown > 0 ? ` after ${plural(shown, "partial")}` : ""}`,
      true,
    );
  }

  async failed(error: UserError): Promise<void> {
    this.outcome = { ok: false, error };
    this.stage = "ended";
    // The one line a failure gets: the CLI prints no second one for an error that reached the renderer.
    this.status(`failed (${error.code}): ${error.message}`, true);
  }

  /**
   * Each image streams partials 0, 1, …; an index no higher than the previous one, unless it is the 0 that
   * begins the next image, means the stream started over, and only the new stream's partials count. (With
   * several images a restart right at an image's end looks like the next image; the count stays an estimate.)
   */
  private countPartial(index: number): void {
    const p = this.partials;
    const nextImage = index === 0 && p.images < this.expectedImages;
    const restarted = index <= p.lastIndex && !nextImage;
    if (restarted) {
      p.shown = 0;
      p.images = 0;
      this.status("the stream from OpenAI broke off; starting over");
    }
    if (index === 0) p.images += 1;
    p.shown += 1;
    p.lastIndex = index;
  }

  private status(text: string, last = false): void {
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    const line = `[${seconds}s] ${text}`;
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${line}${last ? "\n" : ""}`);
    else this.out.write(`${line}\n`);
  }
}
