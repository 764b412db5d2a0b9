import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import type { Redis } from "ioredis";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BudgetLedger } from "../../src/budget/ledger.js";
import type { FakeOpenAI } from "../fakes/openai/server.js";
import { TEST_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { type CliWorld, startCliWorld } from "./cli-world.js";

let fake: FakeOpenAI;
let out: string;
let redis: Redis;
const prefix = uniquePrefix("cli");

let world: CliWorld;
beforeAll(async () => {
  world = await startCliWorld("cli", prefix);
  ({ fake, out, redis } = world);
});
afterAll(() => world.close());
beforeEach(() => fake.reset());

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run -s imagine -- …` the way README.md says, against the fake server. */
function imagine(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "imagine", "--", ...args], {
      cwd: new URL("../..", import.meta.url),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        OPENAI_API_KEY: "sk-cli-test",
        OPENAI_BASE_URL: fake.url,
        OPENAI_RETRY_BASE_MS: "5",
        // These tests count the fake's requests; the shutdown-date test turns the start's reading on.
        OPENAI_SHUTDOWN_DATES: "false",
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: a CLI that hangs (or spins, deaf to SIGTERM) is killed with npm, not left behind.
      detached: true,
    });
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, timeoutMs);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** stderr without npm's own warnings about the machine's npm configuration. */
function ownLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "" && !line.startsWith("npm warn"));
}

/** A port nothing listens on: taken from the system, then let go. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
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

  it("makes a --draft on the draft model at low quality, and says so", async () => {
    const { code, stdout } = await imagine(["a cat", "--draft", "--out", out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^draft: yes \(gpt-image-2\.5-flare, quality low\)$/m);
    expect(fake.requests[0]?.json).toMatchObject({ model: "gpt-image-2.5-flare", quality: "low" });
    const runFolder = /^run: (.+)$/m.exec(stdout)?.[1] ?? "";
    const metadata = JSON.parse(await readFile(join(runFolder, "metadata.json"), "utf8"));
    expect(metadata.request).toMatchObject({ draft: true, model: "gpt-image-2.5-flare" });
  });

  it("exits 2 with the validation message and makes no request for a bad size", async () => {
    const { code, stderr, stdout } = await imagine(["a cat", "--size", "1000x1000", "--out", out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/16/);
    expect(stdout).toBe("");
    expect(fake.requests).toHaveLength(0);
  });

  it("exits 2 for an unknown flag and for a missing image file, without any request", async () => {
    const unknown = await imagine(["a cat", "--szie", "1024x1024"]);
    expect(unknown.code).toBe(2);
    expect(ownLines(unknown.stderr)).toEqual([
      "error: Unknown option --szie. Did you mean --size? Run with --help to see every option.",
    ]);
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

  it.each([
    ["insufficient_quota", { type: "insufficient_quota" }, /quota|billing/i],
    ["moderation_blocked_input", { type: "moderation_blocked", stage: "input" }, /safety system blocked/],
  ] as const)(
    "exits 1 with one friendly line, no JSON log, when OpenAI refuses (%s)",
    async (code, failure, text) => {
      fake.fail(failure);
      const run = await imagine(["a cat", "--out", out]);
      expect(run.code).toBe(1);
      const lines = ownLines(run.stderr).filter((line) => !/\] (queued|generating…)$/.test(line));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`failed \\(${code}\\): `));
      expect(lines[0]).toMatch(text);
      expect(run.stderr).not.toMatch(/^\{/m);
      expect(run.stderr).not.toContain("sk-cli-test");
      expect(run.stdout).toBe("");
      expect(fake.requests).toHaveLength(1);
    },
  );

  it.each([
    [
      "a file",
      async () => {
        const file = join(out, "not-a-folder.txt");
        await writeFile(file, "x");
        return { path: file, says: /is a file, not a folder/ };
      },
    ],
    [
      "inside a file",
      async () => {
        const file = join(out, "not-a-folder-either.txt");
        await writeFile(file, "x");
        return { path: join(file, "runs"), says: /is inside .*not-a-folder-either\.txt, a file/ };
      },
    ],
    ["in /proc", async () => ({ path: "/proc/nope", says: /cannot be created/ })],
  ])("exits 2 before any request when --out is %s", async (_, make) => {
    const { path, says } = await make();
    const run = await imagine(["a cat", "--partials", "2", "--out", path], {}, 20_000);
    expect(ownLines(run.stderr)).toEqual([expect.stringMatching(says)]);
    expect(run.code).toBe(2);
    expect(fake.requests).toHaveLength(0);
  });

  it("prints progress in order, with the right plurals", async () => {
    const run = await imagine(["a cat", "--partials", "1", "--out", out]);
    expect(run.code).toBe(0);
    const lines = ownLines(run.stderr).map((line) => line.replace(/^\[\d+\.\ds\] /, ""));
    expect(lines).toEqual([
      "queued",
      "generating…",
      expect.stringMatching(/^partial 1\/1 received \(png, \d+ KB\)$/),
      "done: 1 image after 1 partial",
    ]);
  });

  it("counts the partials of the stream that finished, after a retry", async () => {
    fake.fail({ type: "stream_cut", afterEvents: 1 });
    const run = await imagine(["a cat", "--partials", "2", "--out", out]);
    expect(run.code).toBe(0);
    expect(fake.requests).toHaveLength(2);
    expect(run.stderr).toMatch(/starting over/);
    expect(run.stderr).toMatch(/done: 1 image after 2 partials$/m);
  });

  it("prints the model's text once when stderr is not a terminal", async () => {
    const run = await imagine(["a cat", "--api", "responses", "--out", out]);
    expect(run.code).toBe(0);
    const text = "Here is your image for turn 1: a cat.";
    expect(run.stdout).toContain(`model: ${text}`);
    expect(`${run.stdout}${run.stderr}`.split("Here is your image").length - 1).toBe(1);
  });

  it("sends --markup as the markup over --image's picture, and refuses it on a model without markup", async () => {
    const input = join(out, "room.png");
    const markup = join(out, "markup.png");
    await sharp({ create: { width: 64, height: 64, channels: 3, background: "#864" } })
      .png()
      .toFile(input);
    await sharp({ create: { width: 64, height: 64, channels: 4, background: "#0000" } })
      .png()
      .toFile(markup);
    const refused = await imagine(["move the lamp", "--image", input, "--markup", markup]);
    expect(refused.code).toBe(2);
    expect(ownLines(refused.stderr)).toEqual([
      "error: Model gpt-image-2 does not take a markup; markup needs gpt-image-2.5-sunburst or gpt-image-2.5-flare.",
    ]);
    expect(fake.requests).toHaveLength(0);
    const args = ["move the lamp", "--image", input, "--markup", markup, "--model", "gpt-image-2.5-flare"];
    const run = await imagine([...args, "--out", out]);
    expect(run.code).toBe(0);
    const edit = fake.requests.find((request) => request.path === "/v1/images/edits");
    expect(edit?.form?.files.map((file) => file.field).sort()).toEqual(["image", "markup"]);
  });

  it("lists the pages a grounded image's search used", async () => {
    const run = await imagine(["the tallest tower", "--search", "--partials", "0", "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "source: https://example.org/the-tallest-tower/source-2 (Source two about the tallest tower)",
    );
    expect(run.stdout.match(/^source: /gm)).toHaveLength(5);
  });

  it("runs the job in its own process when no Redis answers, with the same run folder", async () => {
    const input = join(out, "input.png");
    await sharp({ create: { width: 64, height: 64, channels: 3, background: "#36c" } })
      .png()
      .toFile(input);
    const args = ["make it night", "--image", input, "--partials", "2", "--out", out];
    const queued = await imagine(args);
    expect(queued.code).toBe(0);

    const noRedis = `redis://127.0.0.1:${await freePort()}`;
    const local = await imagine(args, { REDIS_URL: noRedis });
    expect(local.code).toBe(0);
    const lines = ownLines(local.stderr);
    expect(lines[0]).toMatch(
      new RegExp(`^no Redis answers on ${noRedis}/? \\(.*ECONNREFUSED.*\\): running the job in this process`),
    );
    expect(lines.slice(1).map((line) => line.replace(/^\[\d+\.\ds\] /, ""))).toEqual([
      "generating…",
      expect.stringMatching(/^partial 1\/2 received/),
      expect.stringMatching(/^partial 2\/2 received/),
      "done: 1 image after 2 partials",
    ]);
    expect(fake.requests.map((request) => request.path)).toEqual(["/v1/images/edits", "/v1/images/edits"]);

    const folderOf = (stdout: string) => /^run: (.+)$/m.exec(stdout)?.[1] ?? "";
    const [queuedFolder, localFolder] = [folderOf(queued.stdout), folderOf(local.stdout)];
    expect(await filesUnder(localFolder)).toEqual(await filesUnder(queuedFolder));
    expect(await filesUnder(localFolder)).toEqual([
      "final_0.png",
      "inputs/image_0.png",
      "metadata.json",
      "partial_0.png",
      "partial_1.png",
    ]);
    const metadataOf = async (folder: string) =>
      JSON.parse(await readFile(join(folder, "metadata.json"), "utf8"));
    const [queuedMeta, localMeta] = [await metadataOf(queuedFolder), await metadataOf(localFolder)];
    expect(Object.keys(localMeta).sort()).toEqual(Object.keys(queuedMeta).sort());
    expect(localMeta).toMatchObject({
      status: "completed",
      jobId: localMeta.runId,
      prompt: "make it night",
      inputs: { images: [`${localMeta.runId}/inputs/image_0.png`] },
      origin: { reply: { kind: "terminal" }, user: { platform: "cli" } },
    });
  });

  it("refuses --thread without Redis before any request", async () => {
    const run = await imagine(["a cat", "--api", "responses", "--thread", "t", "--out", out], {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    expect(run.code).toBe(2);
    expect(ownLines(run.stderr)).toEqual([expect.stringMatching(/^error: --thread needs Redis/)]);
    expect(fake.requests).toHaveLength(0);
  });

  it("works offline against a separately started `npm run fake:openai`, as README.md says", async () => {
    const server = spawn("npm", ["run", "-s", "fake:openai", "--", "--port", "0"], {
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

describe("npm run imagine -- usage", () => {
  it("prints what everyone spent today and this month against the shared budget, without an OpenAI key", async () => {
    // Someone's image on Discord, settled to its real cost.
    const ledger = new BudgetLedger(redis, prefix, {
      user: { day: { usd: 0, images: 0 }, month: { usd: 0, images: 0 } },
      server: { day: { usd: 0, images: 0 }, month: { usd: 0, images: 0 } },
      global: { day: { usd: 0, images: 0 }, month: { usd: 0, images: 0 } },
    });
    await ledger.reserve(
      "usage-run",
      { platform: "discord", id: "100000000000000001" },
      { micro: 300_000, images: 1 },
    );
    await ledger.settle("usage-run", { micro: 150_000, images: 1 });
    const { code, stdout, stderr } = await imagine(["usage"], {
      OPENAI_API_KEY: "",
      BUDGET_GLOBAL_DAY_USD: "10",
      BUDGET_GLOBAL_MONTH_USD: "0",
    });
    expect(ownLines(stderr)).toEqual([]);
    expect(code).toBe(0);
    expect(stdout).toContain("jobs run from this CLI are not budgeted");
    expect(stdout).toMatch(
      /^Today \(resets in \d+ h \d+ min \(00:00 UTC\)\):\n {2}spent: 1 image, \$0\.15\n {2}The bot's shared daily budget: \$10\.00, \$9\.85 left$/m,
    );
    expect(stdout).toMatch(
      /^This month \(resets on \d{4}-\d\d-01 \(00:00 UTC\)\):\n {2}spent: 1 image, \$0\.15\n {2}no shared budget$/m,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("says in one line that it needs Redis when none answers", async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await imagine(["usage"], { REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const lines = ownLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^error: usage reads the budgets in Redis, and none answers on redis://127\\.0\\.0\\.1:${port}`,
      ),
    );
  });
});
