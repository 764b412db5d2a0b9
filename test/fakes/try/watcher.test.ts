import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ShownMessage, TryPlatform } from "./platform.js";
import { Watcher } from "./watcher.js";

/** A channel the test edits by hand: what the Watcher reads of a platform, nothing else. */
function channel(messages: ShownMessage[]): TryPlatform {
  const unused = async () => undefined;
  return {
    name: "Discord",
    home: { id: "general", name: "#general" },
    ready: unused,
    messages: () => messages,
    command: unused,
    messageCommand: unused,
    say: unused,
    lastThread: () => undefined,
    openForm: () => undefined,
    close: unused,
  };
}

const status = (): ShownMessage => ({
  id: "m1",
  byBot: true,
  author: "imagine",
  where: "#general",
  onlyYou: false,
  deleted: false,
  versions: [{ text: "🎨 Queued", buttons: ["Cancel"], files: [] }],
  images: [],
  pressables: [],
});

let out: string;
let lines: string[];
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), "imagine-watcher-"));
  lines = [];
});
afterEach(() => rm(out, { recursive: true, force: true }));

describe("the try-out's watcher", () => {
  it("prints every new version once, skips an edit that changed nothing shown, and writes each image once", async () => {
    const message = status();
    const watcher = new Watcher(channel([message, { ...status(), id: "mine", byBot: false }]), out, (line) =>
      lines.push(line),
    );
    await watcher.tick();
    expect(lines).toEqual(["#1 imagine in #general", "#1 › 🎨 Queued\n     [Cancel]"]);

    message.versions.push(
      { text: "🎨 Queued", buttons: ["Cancel"], files: [] },
      { text: "**Prompt:** a fox\n$0.12", buttons: ["Re-roll", "Vary"], files: ["fox.png"] },
    );
    message.images = [{ id: "a1", name: "fox.png", bytes: async () => Buffer.from("png bytes") }];
    lines.length = 0;
    await watcher.tick();
    await watcher.tick();
    const path = join(out, "1-1-fox.png");
    expect(lines).toEqual([
      "#1 › **Prompt:** a fox\n     $0.12\n     files: fox.png\n     [Re-roll] [Vary]",
      `#1 🖼  ${path}`,
    ]);
    expect(await readFile(path, "utf8")).toBe("png bytes");
    expect(watcher.pathsOf(message)).toEqual([path]);
    expect(watcher.numbered(1)).toBe(message);

    message.deleted = true;
    lines.length = 0;
    await watcher.tick();
    await watcher.tick();
    expect(lines).toEqual(["#1 was deleted"]);
  });
});
