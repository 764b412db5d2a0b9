import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { PROCESS_TEST_TIMEOUT_MS, startScript, stopCleanly } from "./scripts.js";

let openai: FakeOpenAI;
let storageDir: string;
let prefix: string;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  prefix = uniquePrefix("process-worker");
  storageDir = await mkdtemp(join(tmpdir(), "imagine-process-worker-"));
});
afterAll(async () => {
  await openai.close();
  await dropPrefix(prefix);
  await rm(storageDir, { recursive: true, force: true });
});

describe("npm run worker", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("starts with only Redis, storage and OpenAI configured, says which platforms it cannot show, and stops on SIGTERM", async () => {
    const worker = startScript("worker", baseTestEnv(openai.url, prefix, storageDir));
    const running = await worker.waitForLog((line) => line.msg === "imagine-bot running", "start-up");
    expect(running.platforms).toEqual([]);
    const warning = worker.logs().find((line) => line.msg.startsWith("this worker cannot show jobs"));
    expect(warning?.missing).toEqual(["DISCORD_TOKEN", "SLACK_BOT_TOKEN"]);
    await stopCleanly(worker);
  });

  it("stops cleanly on a SIGTERM that comes while it is still starting", async () => {
    const worker = startScript("worker", baseTestEnv(openai.url, prefix, storageDir));
    // Logged before Redis is reached and the worker starts: the signal lands in the middle of start-up.
    await worker.waitForLog((line) => line.msg.startsWith("this worker cannot show jobs"), "the first line");
    await stopCleanly(worker);
    expect(worker.logs().some((line) => line.msg.startsWith("shutting down"))).toBe(true);
  });
});
