import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { deleteKeys, TEST_REDIS_URL, testRedis, uniquePrefix } from "../helpers/redis.js";

let fake: FakeOpenAI;
let out: string;
let redis: Redis;
const prefix = uniquePrefix("cli");

beforeAll(async () => {
  fake = await startFakeOpenAI();
  out = await mkdtemp(join(tmpdir(), "imagine-cli-"));
  redis = testRedis();
});
afterAll(async () => {
  await fake.close();
  await rm(out, { recursive: true, force: true });
  await deleteKeys(redis, prefix);
  redis.disconnect();
});
beforeEach(() => fake.reset());

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run imagine -- …` the way README.md says, against the fake server. */
function imagine(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "imagine", "--", ...args], {
      cwd: new URL("../..", import.meta.url),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        OPENAI_API_KEY: "sk-cli-test",
        OPENAI_BASE_URL: fake.url,
        OPENAI_RETRY_BASE_MS: "5",
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run imagine", () => {
  it("generates through the queue, prints progress as partials arrive, and writes the run folder", async () => {
    const { code, stdout, stderr } = await imagine([
      "a lighthouse at dusk",
      "--size",
      "1024x1536",
      "--partials",
      "2",
      "--format",
      "webp",
      "--out",
      out,
    ]);
    expect(stderr).toMatch(/partial 1\/2 received/);
    expect(stderr).toMatch(/partial 2\/2 received/);
    expect(code).toBe(0);
    const image = /^image: (.+)$/m.exec(stdout)?.[1];
    expect(image).toMatch(/final_0\.webp$/);
    const meta = await sharp(image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 1024, 1536]);
    const runFolder = /^run: (.+)$/m.exec(stdout)?.[1] ?? "";
    const metadata = JSON.parse(await readFile(join(runFolder, "metadata.json"), "utf8"));
    expect(metadata).toMatchObject({ status: "completed", prompt: "a lighthouse at dusk" });
    expect(fake.requests).toHaveLength(1);
  });

  it("exits 2 with the validation message and makes no request for a bad size", async () => {
    const { code, stderr, stdout } = await imagine(["a cat", "--size", "1000x1000", "--out", out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/16/);
    expect(stdout).toBe("");
    expect(fake.requests).toHaveLength(0);
  });

  it("exits 2 for an unknown flag and for a missing image file, without any request", async () => {
    const unknown = await imagine(["a cat", "--sise", "1024x1024"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--sise/);
    const missing = await imagine(["a cat", "--image", join(out, "nope.png")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read .*nope\.png/);
    expect(fake.requests).toHaveLength(0);
  });

  it("exits 2 naming the variable when the configuration is wrong", async () => {
    const { code, stderr } = await imagine(["a cat"], { OPENAI_API_KEY: "" });
    expect(code).toBe(2);
    expect(stderr).toMatch(/OPENAI_API_KEY/);
    expect(fake.requests).toHaveLength(0);
  });

  it("exits 1 with a clear message when OpenAI refuses", async () => {
    fake.fail({ type: "insufficient_quota" });
    const { code, stderr } = await imagine(["a cat", "--out", out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/quota|billing/i);
    expect(stderr).not.toContain("sk-cli-test");
    expect(fake.requests).toHaveLength(1);
  });

  it("works offline against a separately started `npm run fake:openai`, as README.md says", async () => {
    const server = spawn("npm", ["run", "--silent", "fake:openai", "--", "--port", "0"], {
      cwd: new URL("../..", import.meta.url),
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
      stdio: ["ignore", "pipe", "inherit"],
      // Its own process group, so the test can stop npm and the server it started together.
      detached: true,
    });
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        let seen = "";
        server.stdout?.on("data", (chunk: Buffer) => {
          seen += chunk.toString();
          const url = /OPENAI_BASE_URL=(\S+)/.exec(seen)?.[1];
          if (url) resolve(url);
        });
        server.on("exit", (code) => reject(new Error(`fake:openai exited with ${code}: ${seen}`)));
      });
      const { code, stdout } = await imagine(["a lighthouse at dusk", "--partials", "2", "--out", out], {
        OPENAI_API_KEY: "sk-fake",
        OPENAI_BASE_URL: baseUrl,
      });
      expect(code).toBe(0);
      const image = /^image: (.+)$/m.exec(stdout)?.[1];
      expect((await sharp(image).metadata()).format).toBe("png");
      expect(fake.requests).toHaveLength(0); // the in-test fake saw nothing: the standalone one answered
    } finally {
      if (server.pid) process.kill(-server.pid, "SIGTERM");
    }
  });

  it("lists every option in --help", async () => {
    const { code, stdout } = await imagine(["--help"]);
    expect(code).toBe(0);
    for (const flag of [
      "--size",
      "--quality",
      "--n",
      "--format",
      "--compression",
      "--background",
      "--moderation",
      "--partials",
      "--model",
      "--api",
      "--image",
      "--mask",
      "--out",
    ]) {
      expect(stdout).toContain(flag);
    }
  });
});
