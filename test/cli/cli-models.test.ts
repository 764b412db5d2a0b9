import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeys, TEST_REDIS_URL, testRedis, uniquePrefix } from "../helpers/redis.js";

/** `YYYY-MM-DD`, `days` from today (UTC). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const GONE = inDays(-1);
const SOON = inDays(3);
const ROOT = new URL("../..", import.meta.url);
const prefix = uniquePrefix("cli-models");

let server: ChildProcess;
let baseUrl: string;
let out: string;

/** A command as README.md has it, in its own process group so a hung one is killed with npm. */
function npm(args: string[], env: Record<string, string> = {}) {
  return spawn("npm", ["run", "-s", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
}

function imagine(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = npm(["imagine", "--", ...args, "--out", out], {
    OPENAI_API_KEY: "sk-cli-models",
    OPENAI_BASE_URL: baseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "imagine-cli-models-"));
  // The standalone fake, with the dates its --shutdown flags announce.
  server = npm([
    "fake:openai",
    "--",
    "--port",
    "0",
    "--shutdown",
    `gpt-image-2=${SOON}`,
    "--shutdown",
    `gpt-image-2.6-flare=${GONE}`,
  ]);
  baseUrl = await new Promise<string>((resolve, reject) => {
    let seen = "";
    server.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const url = /OPENAI_BASE_URL=(\S+)/.exec(seen)?.[1];
      if (url) resolve(url);
    });
    server.on("exit", (code) => reject(new Error(`fake:openai exited with ${code}: ${seen}`)));
  });
});
afterAll(async () => {
  if (server.pid) process.kill(-server.pid, "SIGTERM");
  await rm(out, { recursive: true, force: true });
  const redis = testRedis();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe("npm run imagine reads the models' shutdown dates at start", { timeout: 60_000 }, () => {
  it("shows the fake's --shutdown dates on GET /models/{id}", async () => {
    const model = (await (
      await fetch(`${baseUrl}/models/gpt-image-2`, { headers: { authorization: "Bearer sk" } })
    ).json()) as { shutdown_date: string | null };
    expect(model.shutdown_date).toBe(SOON);
  });

  it("refuses a model past its date with exit 2, and prints a coming shutdown as a notice", async () => {
    const refused = await imagine(["a fox", "--model", "gpt-image-2.6-flare"]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(
      `error: Model gpt-image-2.6-flare was retired on ${GONE}; use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.`,
    );
    const made = await imagine(["a fox", "--partials", "0"]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain(
      `notice: gpt-image-2 shuts down on ${SOON}; use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.`,
    );
  });
});
