import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Worker } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import type { JobResult, JobSpec } from "../../src/core/job-spec.js";
import { newRunId } from "../../src/core/run-id.js";
import { safetyIdentifier } from "../../src/engine/safety.js";
import { checkOptions, enqueueRun } from "../../src/intake/enqueue-run.js";
import { createImagineWorker } from "../../src/queue/worker.js";
import { createRunnerDeps } from "../../src/runner/runner-deps.js";
import { resolveSafetySalt, safetySaltKey } from "../../src/stores/safety-salt.js";
import { type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";
import { dropPrefix, testRedis, uniquePrefix } from "../helpers/redis.js";

const USER = { platform: "discord", id: "123456789012345678", workspace: "223456789012345678" };

let pipeline: Pipeline | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await pipeline?.close();
  pipeline = undefined;
});

/** Enqueues a generation for `USER`, waits for `worker` to finish it, and returns what OpenAI received. */
async function generateOn(p: Pipeline, worker: Worker<JobSpec, JobResult>) {
  const request = checkOptions(
    { prompt: "a lighthouse", partials: "0" },
    { imageCount: 0, hasMask: false },
    { model: p.config.openai.defaultImageModel },
  );
  const runId = newRunId();
  const outcome = settled(worker, runId);
  const before = p.fake.requests.length;
  await enqueueRun(p.queues, p.deps.runs, { runId, request, user: USER, reply: { kind: "terminal" } });
  expect((await outcome).result?.finals).toHaveLength(1);
  const sent = p.fake.requests[before]?.json as Record<string, unknown>;
  const metadata = await readFile(join(p.storageDir, runId, "metadata.json"), "utf8");
  return { identifier: sent.safety_identifier as string, metadata };
}

describe("the salt of safety_identifier", () => {
  it("without SAFETY_IDENTIFIER_SALT, is made once in Redis and shared by every start-up on the prefix", async () => {
    const p = await startPipeline("safety-salt");
    pipeline = p;
    const first = await generateOn(p, p.worker);

    // A second worker process on the same Redis prefix (another replica, or this one after a restart).
    await p.worker.close();
    const connection = testRedis();
    const deps = await createRunnerDeps(p.config, connection, p.deps.renderers, p.deps.logger);
    const worker = createImagineWorker(deps, {
      connection,
      prefix: p.config.queuePrefix,
      concurrency: 1,
      queueName: p.queue.name,
    });
    cleanups.push(async () => {
      await worker.close();
      connection.disconnect();
    });
    const second = await generateOn(p, worker);

    expect(first.identifier).toMatch(/^[0-9a-f]{64}$/);
    expect(second.identifier).toBe(first.identifier);
    // Not the HMAC with an empty key, which anyone could compute from a public user id.
    expect(first.identifier).not.toBe(safetyIdentifier(USER.platform, USER.id, ""));
    const key = safetySaltKey(p.config.queuePrefix);
    const salt = await p.redis.get(key);
    expect(salt).toMatch(/^[0-9a-f]{64}$/);
    expect(first.identifier).toBe(safetyIdentifier(USER.platform, USER.id, salt ?? ""));
    expect(await p.redis.ttl(key)).toBe(-1);
    // metadata.json (what Details shows) says an identifier was sent, never which.
    expect(JSON.parse(first.metadata).sentParameters.safety_identifier).toBe("(set)");
    expect(`${first.metadata}${second.metadata}`).not.toContain(first.identifier);
  });

  it("is the operator's SAFETY_IDENTIFIER_SALT when set, and nothing is kept in Redis", async () => {
    const p = await startPipeline("safety-salt-set", { SAFETY_IDENTIFIER_SALT: "operator-salt" });
    pipeline = p;
    const { identifier } = await generateOn(p, p.worker);
    expect(identifier).toBe(safetyIdentifier(USER.platform, USER.id, "operator-salt"));
    expect(await p.redis.exists(safetySaltKey(p.config.queuePrefix))).toBe(0);
  });

  it("is the same for processes that start at the same moment on a fresh prefix", async () => {
    const prefix = uniquePrefix("safety-salt-race");
    const [a, b] = [testRedis(), testRedis()];
    cleanups.push(async () => {
      a.disconnect();
      b.disconnect();
      await dropPrefix(prefix);
    });
    const salts = await Promise.all([a, b, a, b].map((redis) => resolveSafetySalt("", { redis, prefix })));
    expect(new Set(salts).size).toBe(1);
  });
});
