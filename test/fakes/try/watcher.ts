import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ShownMessage, ShownVersion, TryPlatform } from "./platform.js";

/**
 * Shows each bot message as it changes: every version the fake kept (so no stage is missed however fast they
 * came), its buttons as `[Re-roll] [Vary]`, and the path of each image, written once under `out`. Messages are
 * numbered `#1`, `#2`… in the order they appeared, for `press … #2` and `open 2`.
 */
export class Watcher {
  private readonly numbers = new Map<string, number>();
  private readonly versionsShown = new Map<string, number>();
  private readonly deletedShown = new Set<string>();
  /** Image id → where it was written. */
  private readonly saved = new Map<string, string>();
  private readonly threadsShown = new Set<string>();
  private formShown: string | undefined;

  constructor(
    private readonly platform: TryPlatform,
    private readonly out: string,
    private readonly print: (line: string) => void,
  ) {}

  numberOf(message: ShownMessage): number | undefined {
    return this.numbers.get(message.id);
  }

  /** The message shown as `#number`. */
  numbered(number: number): ShownMessage | undefined {
    return this.platform.messages().find((message) => this.numbers.get(message.id) === number);
  }

  /** The paths the images of a message were written to. */
  pathsOf(message: ShownMessage): string[] {
    return message.images.flatMap((image) => this.saved.get(image.id) ?? []);
  }

  /** Prints what changed since the last call and writes new images. */
  async tick(): Promise<void> {
    for (const message of this.platform.messages()) {
      if (!message.byBot) continue;
      await this.show(message);
    }
    const thread = this.platform.lastThread();
    if (thread && !this.threadsShown.has(thread.id)) {
      this.threadsShown.add(thread.id);
      this.print(
        `🧵 ${thread.name} is open: say <text> speaks there, back returns to ${this.platform.home.name}`,
      );
    }
    const form = this.platform.openForm();
    if (form && this.formShown !== form.title) {
      this.print(`📝 The bot opened a form, “${form.title}”: answer it with form <text>`);
    }
    this.formShown = form?.title;
  }

  private async show(message: ShownMessage): Promise<void> {
    let number = this.numbers.get(message.id);
    if (number === undefined) {
      number = this.numbers.size + 1;
      this.numbers.set(message.id, number);
      this.print(
        `#${number} ${message.author} in ${message.where}${message.onlyYou ? " (only you see it)" : ""}`,
      );
    }
    const shown = this.versionsShown.get(message.id) ?? 0;
    // An edit that changed nothing the person sees (the same stage again) is not worth a line.
    let before = shown > 0 ? describe(number, message.versions[shown - 1] as ShownVersion) : "";
    for (const version of message.versions.slice(shown)) {
      const line = describe(number, version);
      if (line !== before) this.print(line);
      before = line;
    }
    this.versionsShown.set(message.id, message.versions.length);
    if (message.deleted) {
      if (!this.deletedShown.has(message.id)) this.print(`#${number} was deleted`);
      this.deletedShown.add(message.id);
      return;
    }
    for (const image of message.images) {
      if (this.saved.has(image.id)) continue;
      const path = resolve(join(this.out, `${number}-${this.countFor(number)}-${image.name}`));
      this.saved.set(image.id, path);
      await mkdir(this.out, { recursive: true });
      await writeFile(path, await image.bytes());
      this.print(`#${number} 🖼  ${path}`);
    }
  }

  private countFor(number: number): number {
    return [...this.saved.values()].filter((path) => path.includes(`/${number}-`)).length + 1;
  }
}

function describe(number: number, version: ShownVersion): string {
  const indent = " ".repeat(String(number).length + 4);
  const text = version.text === "" ? "(no text)" : version.text;
  const lines = [`#${number} › ${text.replaceAll("\n", `\n${indent}`)}`];
  if (version.files.length > 0) lines.push(`${indent}files: ${version.files.join(", ")}`);
  if (version.buttons.length > 0)
    lines.push(`${indent}${version.buttons.map((label) => `[${label}]`).join(" ")}`);
  return lines.join("\n");
}
