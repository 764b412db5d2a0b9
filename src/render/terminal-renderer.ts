import type { UserError } from "../core/errors.js";
import type { ImageBytes } from "../engine/events.js";
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
 * output is a pipe or a file, so logs stay readable. Results and errors are the CLI's to print.
 */
export class TerminalRenderer implements Renderer {
  private readonly startedAt = Date.now();
  private partials = 0;
  private textSeen = "";
  /** Set once the run ends, so the CLI can choose its exit code. */
  outcome: { ok: true; result: RenderResult } | { ok: false; error: UserError } | undefined;

  constructor(
    private readonly out: TerminalOutput,
    private readonly expectedPartials: number,
  ) {}

  async queued(position: number): Promise<void> {
    this.status(position > 0 ? `queued (position ${position})` : "queued");
  }

  async started(): Promise<void> {
    this.status("generating…");
  }

  async partial(image: ImageBytes, index: number): Promise<void> {
    this.partials += 1;
    const of = this.expectedPartials > 0 ? `/${this.expectedPartials}` : "";
    this.status(`partial ${index + 1}${of} received (${image.format}, ${kilobytes(image.bytes.length)})`);
  }

  async text(delta: string): Promise<void> {
    this.textSeen += delta;
    this.status(`model: ${this.textSeen.replace(/\s+/g, " ").slice(-60)}`);
  }

  async completed(result: RenderResult): Promise<void> {
    this.outcome = { ok: true, result };
    const count = result.images.length === 1 ? "1 image" : `${result.images.length} images`;
    this.status(`done: ${count}${this.partials > 0 ? ` after ${this.partials} partials` : ""}`, true);
  }

  async failed(error: UserError): Promise<void> {
    this.outcome = { ok: false, error };
    this.status(`failed (${error.code})`, true);
  }

  private status(text: string, last = false): void {
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    const line = `[${seconds}s] ${text}`;
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${line}${last ? "\n" : ""}`);
    else this.out.write(`${line}\n`);
  }
}
