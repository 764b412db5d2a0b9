import sharp from "sharp";
import { expect } from "vitest";
import { type ScriptProcess, startCommand } from "./scripts.js";

/**
 * `npm run try` as a person runs it: one OS process, typed into through stdin, read through stdout. Each step
 * looks only at what the console printed after the line it typed.
 */
export class TryConsole {
  readonly run: ScriptProcess;
  private seen = 0;

  /** `npm run -s try -- <args>`, or a try-out already started some other way (as README prints it). */
  constructor(args: string[] | ScriptProcess, env: Record<string, string> = {}) {
    this.run = Array.isArray(args)
      ? startCommand(["npm", "run", "-s", "try", "--", ...args], env, undefined, { stdin: true })
      : args;
  }

  type(line: string): void {
    this.seen = this.run.output().length;
    this.run.child.stdin?.write(`${line}\n`);
  }

  /** What `pattern` matches in the output since the last typed line, once it shows. */
  async shows(pattern: RegExp, what: string): Promise<RegExpExecArray> {
    const from = this.seen;
    const after = new RegExp(`[\\s\\S]{${from}}[\\s\\S]*?(?:${pattern.source})`, pattern.flags);
    const match = await this.run.waitForOutput(after, what, 90_000);
    return pattern.exec(match[0].slice(from)) as RegExpExecArray;
  }

  /** The final image message `#number` shows (its job's `_0.png`), checked to be a real PNG. */
  async finalImage(number: number | string): Promise<string> {
    const [, path = ""] = await this.shows(
      new RegExp(`#${number} 🖼\\s+(\\S+_0\\.png)`),
      `#${number}'s final`,
    );
    expect(await sharp(path).metadata()).toMatchObject({ format: "png" });
    return path;
  }

  /**
   * The next final image any message shows (a job's `<runId>_0.png`, not a partial frame), checked to be a real
   * PNG, and the number of that message: for steps where other messages (streamed words) may come in between.
   */
  async nextFinal(what: string): Promise<number> {
    const [, number = "", path = ""] = await this.shows(/#(\d+) 🖼\s+(\S+\d{8}-\d{6}-[0-9a-f]+_0\.png)/, what);
    expect(await sharp(path).metadata()).toMatchObject({ format: "png" });
    return Number(number);
  }
}
