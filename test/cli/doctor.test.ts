import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_SCOPES } from "../../src/platforms/slack/manifest.js";
import { createImagineQueue } from "../../src/queue/imagine-queue.js";
import { LEGACY_QUEUE } from "../../src/queue/platform-queues.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.js";
import { type PrivateRedis, startPrivateRedis } from "../helpers/private-redis.js";
import { type LocalS3, startLocalS3, unusedPort } from "../helpers/s3-server.js";
import { startNpm, startScript } from "../process/npm-process.js";

/** `npm run doctor` as an operator runs it, against the fakes and the test Redis. */
let openai: FakeOpenAI;
let discord: FakeDiscord;
let slack: FakeSlack;
let narrowSlack: FakeSlack;
let s3: LocalS3;
let storageDir: string;
/** A deployment's Redis keeps an append-only file; the shared test Redis keeps nothing across a restart. */
let redis: PrivateRedis;
let forgetfulRedis: PrivateRedis;
let managedRedis: PrivateRedis;
beforeAll(async () => {
  [openai, discord, slack, narrowSlack, s3, redis, forgetfulRedis, managedRedis] = await Promise.all([
    startFakeOpenAI(),
    startFakeDiscord(),
    startFakeSlack(),
    startFakeSlack({ scopes: BOT_SCOPES.filter((scope) => scope !== "files:write") }),
    startLocalS3(),
    startPrivateRedis(),
    startPrivateRedis({ appendOnly: false }),
    startPrivateRedis({ config: false }),
  ]);
  storageDir = await mkdtemp(join(tmpdir(), "imagine-doctor-"));
});
afterAll(async () => {
  await Promise.all([
    openai.close(),
    discord.close(),
    slack.close(),
    narrowSlack.close(),
    s3.close(),
    redis.stop(),
    forgetfulRedis.stop(),
    managedRedis.stop(),
  ]);
  await rm(storageDir, { recursive: true, force: true });
});

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    OPENAI_API_KEY: "sk-doctor",
    OPENAI_BASE_URL: openai.url,
    REDIS_URL: redis.url,
    STORAGE_DIR: storageDir,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.url,
    SLACK_BOT_TOKEN: "xoxb-fake",
    SLACK_APP_TOKEN: "xapp-fake",
    SLACK_API_URL: slack.apiUrl,
    ...overrides,
  };
}

async function doctor(variables: Record<string, string>) {
  const run = startNpm(["run", "-s", "doctor"], variables);
  const { code } = await run.exited;
  const lines = run
    .output()
    .split("\n")
    .filter((line) => /^[✓✗!] /.test(line));
  return { code, lines, output: run.output() };
}

describe("npm run doctor", { timeout: 60_000 }, () => {
  it("passes every check on a working set-up, one line each", async () => {
    const result = await doctor(env());
    expect(result.code, result.output).toBe(0);
    expect(result.lines.map((line) => line.split(/\s+/).slice(0, 2).join(" "))).toEqual([
      "✓ config",
      "✓ budgets",
      "✓ redis",
      "✓ queues",
      "✓ storage",
      "✓ openai",
      "✓ models",
      "✓ discord",
      "✓ slack",
    ]);
    expect(result.lines[1]).toMatch(/^✓ budgets +everyone together: at most \$50\.00 a day$/);
    expect(result.lines[2]).toContain(
      "maxmemory-policy noeviction, keeps jobs across a restart with an append-only file",
    );
    expect(result.lines[3]).toMatch(
      /^✓ queues +a worker here takes imagine-discord, imagine-slack; waiting: imagine-discord 0, imagine-slack 0, imagine-web 0$/,
    );
    expect(result.lines[6]).toMatch(
      /^✓ models +gpt-image-2: no shutdown date; gpt-image-2\.5-sunburst: no shutdown date; .*gpt-image-2\.6-flare: no shutdown date$/,
    );
  });

  it("shows each model's shutdown date, and warns of a retired or soon shut-down default model", async () => {
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    openai.setShutdownDate("gpt-image-2", inDays(5));
    openai.setShutdownDate("gpt-image-2.6-flare", inDays(60));
    try {
      const soon = await doctor(env());
      expect(soon.code, soon.output).toBe(0);
      const models = soon.lines.find((line) => line.includes(" models ")) ?? soon.output;
      expect(models).toMatch(
        new RegExp(
          `^! models +warning: DEFAULT_IMAGE_MODEL gpt-image-2 shuts down on ${inDays(5)} \\(in 5 days`,
        ),
      );
      expect(models).toContain(`gpt-image-2.6-flare: shuts down on ${inDays(60)} (in 60 days)`);
      expect(models).toContain("gpt-image-2.5-sunburst: no shutdown date");
      const retired = await doctor(env({ DEFAULT_IMAGE_MODEL: "gpt-image-1.5" }));
      expect(retired.code, retired.output).toBe(0);
      expect(retired.lines.find((line) => line.includes(" models "))).toMatch(
        /^! models +warning: DEFAULT_IMAGE_MODEL gpt-image-1\.5 was retired on 2026-12-01: the bot uses gpt-image-2\.5-sunburst; set DEFAULT_IMAGE_MODEL=gpt-image-2\.5-sunburst/,
      );
    } finally {
      openai.setShutdownDate("gpt-image-2", null);
      openai.setShutdownDate("gpt-image-2.6-flare", null);
    }
  });

  it("fails Entra ID without @azure/identity, naming the install command", async () => {
    const result = await doctor(
      env({
        OPENAI_API_KEY: "",
        OPENAI_PROVIDER: "azure",
        AZURE_OPENAI_ENDPOINT: openai.origin,
        AZURE_OPENAI_USE_ENTRA_ID: "true",
      }),
    );
    expect(result.code, result.output).toBe(1);
    expect(result.lines.find((line) => line.includes(" entra "))).toBe(
      "✗ entra    AZURE_OPENAI_USE_ENTRA_ID=true needs @azure/identity, which is not installed: run `npm install @azure/identity`",
    );
  });

  it("names the shard set-up beside Discord's advice, and ids beyond Discord's count for auto", async () => {
    const line = (lines: string[]) => lines.find((candidate) => candidate.includes(" discord ")) ?? "";
    const sharded = await doctor(env({ DISCORD_SHARD_COUNT: "2", DISCORD_SHARD_IDS: "1" }));
    expect(line(sharded.lines)).toMatch(
      /^✓ discord +logged in as \S+; runs shard 1 of 2 \(Discord recommends 1\)$/,
    );
    const beyond = await doctor(env({ DISCORD_SHARD_COUNT: "auto", DISCORD_SHARD_IDS: "0,3" }));
    expect(beyond.code).toBe(1);
    expect(line(beyond.lines)).toMatch(
      /^✗ discord +logged in as \S+, but DISCORD_SHARD_IDS: shard 3 does not exist among 1 shard: the only shard is 0, the count Discord recommends \(DISCORD_SHARD_COUNT=auto\)$/,
    );
  });

  it("names the failing check and what to fix, and exits 1", async () => {
    const blocked = join(storageDir, "a-file");
    await writeFile(blocked, "not a folder");
    const result = await doctor(
      env({
        SLACK_API_URL: narrowSlack.apiUrl,
        STORAGE_DIR: join(blocked, "runs"),
      }),
    );
    expect(result.code).toBe(1);
    const line = (name: string) => result.lines.find((candidate) => candidate.includes(` ${name} `)) ?? "";
    expect(line("slack")).toMatch(/^✗ slack .*lacks files:write/);
    expect(line("storage")).toMatch(/^✗ storage .*make STORAGE_DIR a writable folder/);
    expect(line("redis")).toMatch(/^✓ redis/);
    expect(line("discord")).toMatch(/^✓ discord/);
  });

  it("checks an S3 bucket by name, and says what to fix when it is missing, refuses the key or does not answer", async () => {
    const bucket = await s3.createBucket("doctor");
    const missing = `no-such-${bucket}`;
    const storageLine = async (variables: Record<string, string>) => {
      const result = await doctor(env(variables));
      return result.lines.find((line) => line.includes(" storage ")) ?? result.output;
    };
    const [working, noBucket, refused, unreachable] = await Promise.all([
      storageLine(s3.env(bucket)),
      storageLine(s3.env(missing)),
      storageLine({ ...s3.env(bucket), S3_ACCESS_KEY_ID: "NOBODY" }),
      storageLine({ ...s3.env(bucket), S3_ENDPOINT: `http://127.0.0.1:${await unusedPort()}` }),
    ]);
    expect(working).toMatch(new RegExp(`^✓ storage +bucket ${bucket} takes and gives back a file$`));
    expect(noBucket).toMatch(
      new RegExp(`^✗ storage +bucket ${missing}: does not exist at ${s3.endpoint}: create it`),
    );
    expect(refused).toMatch(
      new RegExp(
        `^✗ storage +bucket ${bucket}: ${s3.endpoint} refused the credentials .*check S3_ACCESS_KEY_ID`,
      ),
    );
    expect(unreachable).toMatch(new RegExp(`^✗ storage +bucket ${bucket}: cannot reach .*check S3_ENDPOINT`));
  });

  it("fails a Redis that keeps nothing across a restart, and only warns where CONFIG is refused", async () => {
    const line = async (url: string) => {
      const result = await doctor(env({ REDIS_URL: url }));
      return { code: result.code, redis: result.lines.find((candidate) => candidate.includes(" redis ")) };
    };
    const [forgetful, managed] = await Promise.all([line(forgetfulRedis.url), line(managedRedis.url)]);
    expect(forgetful.code).toBe(1);
    expect(forgetful.redis).toMatch(
      /^✗ redis +redis:\/\/127\.0\.0\.1:\d+: Redis keeps nothing across a restart \(appendonly no, save empty\): a restart loses every queued job/,
    );
    expect(managed.code).toBe(0);
    expect(managed.redis).toMatch(
      /^! redis +Redis .*could not check that it keeps data across a restart \(ERR unknown command/,
    );
  });

  it("warns when no dollar budget caps everyone together, an empty variable keeping the default", async () => {
    const budgets = async (variables: Record<string, string>) => {
      const result = await doctor(env(variables));
      return { code: result.code, line: result.lines.find((candidate) => candidate.includes(" budgets ")) };
    };
    const [none, blank] = await Promise.all([
      budgets({ BUDGET_GLOBAL_DAY_USD: "none", BUDGET_GLOBAL_MONTH_USD: "0" }),
      budgets({ BUDGET_GLOBAL_DAY_USD: "", BUDGET_GLOBAL_MONTH_USD: "120" }),
    ]);
    expect(none.code).toBe(0);
    expect(none.line).toMatch(
      /^! budgets +warning: no global dollar budget \(BUDGET_GLOBAL_DAY_USD and BUDGET_GLOBAL_MONTH_USD/,
    );
    expect(blank.line).toMatch(/^✓ budgets +everyone together: at most \$50\.00 a day, \$120\.00 a month$/);
  });

  it("lists every configuration problem and stops there", async () => {
    const result = await doctor(env({ OPENAI_MAX_RETRIES: "many", REDIS_URL: "not a url" }));
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      expect.stringMatching(/^✗ config +OPENAI_MAX_RETRIES: must be a number/),
      expect.stringMatching(/^✗ config +REDIS_URL: must be a redis:\/\/ URL/),
    ]);
  });

  it("fails the configuration npm start refuses (no platform to serve) with the start's own sentence", async () => {
    const noPlatform = env({ DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", SLACK_APP_TOKEN: "" });
    const start = startScript("start", noPlatform);
    const [result, started] = await Promise.all([doctor(noPlatform), start.exited]);
    expect(started.code, start.output()).toBe(2);
    const sentence =
      /DISCORD_TOKEN, SLACK_BOT_TOKEN: set at least one, for the platform\(s\) the bot serves[^\n]*/;
    const refusal = start.output().match(sentence)?.[0];
    expect(refusal, start.output()).toBeDefined();
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([`✗ config   ${refusal}`]);
  });

  it("checks a worker's configuration with --mode worker, which needs no platform token", async () => {
    const run = startNpm(
      ["run", "-s", "doctor", "--", "--mode", "worker"],
      env({ DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", SLACK_APP_TOKEN: "" }),
    );
    const { code } = await run.exited;
    expect(code, run.output()).toBe(0);
    expect(run.output()).toMatch(/^✓ config +every variable is valid$/m);
    expect(run.output()).toMatch(/^! queues +a worker here takes no job: set a platform's token; waiting: /m);
  });

  it("warns while the old shared queue holds jobs, which a worker of this version moves", async () => {
    const connection = new Redis(redis.url);
    const prefix = `doctor-legacy-${process.pid}`;
    const legacy = createImagineQueue(connection, prefix, LEGACY_QUEUE);
    try {
      await legacy.add("imagine", { left: "by an older release" } as never, {
        jobId: "20261201-120000-0a0b0c0d",
      });
      const result = await doctor(env({ QUEUE_PREFIX: prefix }));
      expect(result.code, result.output).toBe(0);
      expect(result.lines[3]).toMatch(
        /^! queues .*; the old shared queue imagine holds 1: a worker of this version moves them as it starts$/,
      );
    } finally {
      await legacy.obliterate({ force: true });
      await legacy.close();
      connection.disconnect();
    }
  });
});
