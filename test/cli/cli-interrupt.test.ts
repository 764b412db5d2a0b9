import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeOpenAI } from "../fakes/openai/server.js";
import { TEST_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { startCommand } from "../process/npm-process.js";
import { type CliWorld, startCliWorld } from "./cli-world.js";

/** Ctrl-C in `npm run -s imagine` while OpenAI streams: nothing left behind. */
let fake: FakeOpenAI;
let out: string;
let redis: Redis;
const prefix = uniquePrefix("cli-ctrl-c");
const IMAGINE_SCRIPT: string = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
).scripts.imagine;

let world: CliWorld;
beforeAll(async () => {
  world = await startCliWorld("cli-ctrl-c", prefix);
  ({ fake, out, redis } = world);
});
afterAll(() => world.close());

/** A key of the run in flight (its queue, named after the run, and its progress), not the person's index. */
const ofTheRun = (key: string) => /:cli-\d{8}-|:job-progress:/.test(key);

describe("Ctrl-C in the CLI", { timeout: 60_000 }, () => {
  it("marks the run cancelled, removes the run's Redis keys, and exits 130", async () => {
    let heldStream: () => void = () => undefined;
    const streaming = new Promise<void>((reached) => {
      // The stream's first event is held until the test ends: Ctrl-C arrives mid-stream.
      fake.pace(() => {
        reached();
        return new Promise<void>((release) => {
          heldStream = release;
        });
      });
    });
    // npm's `imagine` script as npm runs it (`sh -c`), without npm: a terminal reports npm, which dies of the
    // SIGINT it forwards, as 130 too, but only the CLI's own exit code says it handled the signal.
    const args = ["a lighthouse at dusk", "--partials", "2", "--out", out];
    const run = startCommand(
      ["sh", "-c", `${IMAGINE_SCRIPT} "$@"`, "imagine", ...args],
      {
        OPENAI_API_KEY: "sk-cli-test",
        OPENAI_BASE_URL: fake.url,
        OPENAI_SHUTDOWN_DATES: "false",
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
      },
      undefined,
      { ownGroup: true },
    );
    try {
      await streaming;
      const keysWhileRunning = await redis.keys(`${prefix}*`);
      // The run's own keys: its private queue (the job, its lock, the active list) and its progress.
      expect(keysWhileRunning.filter(ofTheRun).length, keysWhileRunning.join(" ")).toBeGreaterThan(3);
      // As a terminal sends Ctrl-C: SIGINT to the whole process group.
      process.kill(-(run.child.pid as number), "SIGINT");
      const ended = await run.exited;
      expect(ended.code, run.output()).toBe(130);
    } finally {
      heldStream();
      if (run.child.exitCode === null && run.child.signalCode === null)
        process.kill(-(run.child.pid as number), "SIGKILL");
    }
    const runs = await readdir(out);
    expect(runs).toHaveLength(1);
    const runId = runs[0] as string;
    const metadata = JSON.parse(await readFile(join(out, runId, "metadata.json"), "utf8"));
    expect(metadata.status, JSON.stringify(metadata)).toBe("cancelled");
    // Kept, as after a finished run: the person's run index (history and /forget read it) and the shared salt.
    // The CLI takes no per-person slot nor budget reservation (the chat intake does), so none can be left.
    const user = userInfo().username;
    expect((await redis.keys(`${prefix}*`)).sort()).toEqual(
      [`runs-of:cli:${user}`, `runs:cli:~:${user}`, "safety-salt"].map((key) => `${prefix}:${key}`).sort(),
    );
    expect(metadata.runId).toBe(runId);
  });
});
