import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/** `lowerThisThreadPriority(10)` in a process of its own (it is one way), started at `nice` when given. */
async function lowerInFreshProcess(startNice?: number): Promise<{ result: unknown; nice: number }> {
  const script = `
    import { getPriority } from "node:os";
    import { readlinkSync } from "node:fs";
    import { lowerThisThreadPriority } from "./src/app/thread-priority.ts";
    const result = lowerThisThreadPriority(10);
    const thread = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    console.log(JSON.stringify({ result, nice: getPriority(thread) }));
  `;
  const node = [process.execPath, "--import", "tsx", "--input-type=module", "-e", script];
  const [command, ...args] = startNice === undefined ? node : ["nice", "-n", String(startNice), ...node];
  const { stdout } = await run(command as string, args);
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
}

describe("lowerThisThreadPriority", () => {
  it("lowers the calling thread to the niceness asked for", async () => {
    expect(await lowerInFreshProcess()).toEqual({ result: "lowered", nice: 10 });
  });

  it("leaves a thread that already runs lower as it is, instead of failing to raise it (nice -n 15)", async () => {
    expect(await lowerInFreshProcess(15)).toEqual({ result: "already-lower", nice: 15 });
  });
});
