import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { OpenAI } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newRunId } from "../../src/core/run-id.js";
import { resolveRequest } from "../../src/core/validate-request.js";
import { storedResponseDeleter } from "../../src/engine/stored-responses.js";
import {
  type ForgetDeps,
  forgetSummary,
  planRunDeletion,
  planThreadForgetting,
} from "../../src/forget/forget.js";
import { createLogger } from "../../src/logger.js";
import { InvalidStorageKeyError, LocalBlobStore } from "../../src/storage/blob-store.js";
import { RunStore } from "../../src/storage/run-store.js";
import { RunIndex } from "../../src/stores/run-index.js";
import { ThreadStyleStore } from "../../src/stores/thread-style.js";
import { type ThreadAddress, ThreadStore } from "../../src/stores/threads.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { deleteKeys, testRedis, uniquePrefix } from "../helpers/redis.js";

const OWNER = "U0OWNER";
const STRANGER = "U0STRANGER";
const prefix = uniquePrefix("forget");
let root: string;
let redis: Redis;
let fake: FakeOpenAI;
let client: OpenAI;
let deps: ForgetDeps;
const warnings: Array<{ msg: string; responseId?: string }> = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "imagine-forget-"));
  redis = testRedis();
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: "sk-test", baseURL: fake.url, maxRetries: 0 });
  deps = {
    runs: new RunStore(new LocalBlobStore(root)),
    threads: new ThreadStore(redis, prefix),
    styles: new ThreadStyleStore(redis, prefix),
    index: new RunIndex(redis, prefix),
    deleteResponse: storedResponseDeleter(client),
    logger: createLogger("warn", { write: (line: string) => warnings.push(JSON.parse(line)) }),
  };
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
  await fake.close();
  await rm(root, { recursive: true, force: true });
});

let threadCount = 0;
const newThread = (): ThreadAddress => ({
  platform: "slack",
  workspace: "T0TEAM",
  thread: `C0CHAN:${++threadCount}`,
});
const exists = (runId: string) =>
  access(join(root, runId)).then(
    () => true,
    () => false,
  );
const deletes = () => fake.requests.filter((request) => request.method === "DELETE").map((r) => r.path);

/** A run as the worker leaves it: a stored response at the fake, a final image, metadata, a turn. */
async function storedTurn(thread: ThreadAddress, user: string, images = 1) {
  const previous = await deps.threads.latest(thread);
  const response = await client.responses.create({
    model: "gpt-5",
    input: "a kite",
    store: true,
    ...(previous ? { previous_response_id: previous.responseId } : {}),
  });
  const runId = newRunId();
  const finals: string[] = [];
  for (let index = 0; index < images; index++) {
    finals.push(await deps.runs.putFinal(runId, index, { bytes: Buffer.from("png"), format: "png" }));
  }
  await deps.runs.putMetadata({
    runId,
    jobId: runId,
    status: "completed",
    prompt: "a kite",
    model: "gpt-image-2",
    request: resolveRequest(
      { prompt: "a kite" },
      { imageCount: 0, hasMask: false },
      { model: "gpt-image-2" },
    ),
    origin: { user: { platform: "slack", id: user, workspace: "T0TEAM" }, reply: { kind: "slack" }, thread },
    inputs: { images: [] },
    partials: [],
    finals,
    responseId: response.id,
    timings: { queuedAt: new Date().toISOString() },
  });
  await deps.index.record({ platform: "slack", id: user, workspace: "T0TEAM" }, runId);
  await deps.threads.append(thread, {
    jobId: runId,
    responseId: response.id,
    imageKeys: finals,
    ...(previous ? { parentJobId: previous.jobId } : {}),
    createdAt: new Date().toISOString(),
  });
  return { runId, responseId: response.id };
}

describe("forgetting a thread", () => {
  it("is refused to anyone but its owner or an admin, and then removes nothing", async () => {
    const thread = newThread();
    const first = await storedTurn(thread, OWNER);
    await storedTurn(thread, STRANGER);
    const before = deletes().length;

    const plan = await planThreadForgetting(deps, thread, { userId: STRANGER, admin: false });
    expect(plan).toEqual({ kind: "refused", owner: OWNER });
    expect(deletes()).toHaveLength(before);
    expect(await exists(first.runId)).toBe(true);
    expect(await deps.threads.turns(thread)).toHaveLength(2);
    // An admin may forget anyone's thread.
    expect((await planThreadForgetting(deps, thread, { userId: STRANGER, admin: true })).kind).toBe(
      "allowed",
    );
  });

  it("removes every turn's folder and stored response, then the chain; a response already gone counts", async () => {
    const thread = newThread();
    const first = await storedTurn(thread, OWNER, 2);
    const second = await storedTurn(thread, STRANGER);
    // Expired or deleted before: OpenAI answers 404, which is what forgetting wants.
    await client.responses.delete(first.responseId);
    fake.requests.length = 0;

    const plan = await planThreadForgetting(deps, thread, { userId: OWNER, admin: false });
    if (plan.kind !== "allowed") throw new Error(`not allowed: ${plan.kind}`);
    const report = await plan.forget();

    expect(report).toEqual({ images: 3, responses: 2, responsesKept: 0, history: "thread" });
    expect(deletes().sort()).toEqual(
      [`/v1/responses/${first.responseId}`, `/v1/responses/${second.responseId}`].sort(),
    );
    expect(await exists(first.runId)).toBe(false);
    expect(await exists(second.runId)).toBe(false);
    expect(await deps.threads.turns(thread)).toEqual([]);
    // Nor are they in their requesters' /history any more.
    for (const [turn, user] of [
      [first, OWNER],
      [second, STRANGER],
    ] as const) {
      const listed = await deps.index.newest({ platform: "slack", id: user, workspace: "T0TEAM" });
      expect(listed).not.toContain(turn.runId);
    }
    expect(forgetSummary(report)).toBe(
      "Deleted: 3 images, 2 stored OpenAI responses, this thread's history. The messages stay in the thread: Delete under a result removes it too.",
    );
    expect(await planThreadForgetting(deps, thread, { userId: OWNER, admin: false })).toEqual({
      kind: "nothing",
    });
  });

  it("reports a response OpenAI would not delete, logs it, and still removes the rest", async () => {
    const thread = newThread();
    const turn = await storedTurn(thread, OWNER);
    // Nothing listens there: every attempt fails to connect.
    const unreachable = new OpenAI({ apiKey: "sk-test", baseURL: "http://127.0.0.1:9/v1", maxRetries: 0 });
    const failing = { ...deps, deleteResponse: storedResponseDeleter(unreachable) };

    const plan = await planThreadForgetting(failing, thread, { userId: OWNER, admin: false });
    if (plan.kind !== "allowed") throw new Error(`not allowed: ${plan.kind}`);
    const report = await plan.forget();

    expect(report).toEqual({ images: 1, responses: 0, responsesKept: 1, history: "thread" });
    expect(await exists(turn.runId)).toBe(false);
    expect(warnings.find((line) => line.responseId === turn.responseId)?.msg).toBe(
      "stored response not deleted",
    );
    expect(forgetSummary(report)).toContain(
      "1 stored OpenAI response could not be deleted right now; OpenAI deletes it after 30 days.",
    );
  });
});

describe("deleting one result", () => {
  it("removes its folder, its stored response and its turn for its requester; the rest of the thread stays", async () => {
    const thread = newThread();
    const first = await storedTurn(thread, OWNER);
    const second = await storedTurn(thread, OWNER);
    fake.requests.length = 0;

    expect(await planRunDeletion(deps, second.runId, STRANGER)).toEqual({ kind: "refused", owner: OWNER });
    expect(await exists(second.runId)).toBe(true);

    const plan = await planRunDeletion(deps, second.runId, OWNER);
    if (plan.kind !== "allowed") throw new Error("not allowed");
    const report = await plan.forget();
    expect(report).toEqual({ images: 1, responses: 1, responsesKept: 0, history: "turn" });
    expect(forgetSummary(report)).toBe(
      "Deleted: 1 image, 1 stored OpenAI response, its turn in the thread's history.",
    );
    expect(deletes()).toEqual([`/v1/responses/${second.responseId}`]);
    expect(await exists(second.runId)).toBe(false);
    expect(await exists(first.runId)).toBe(true);
    expect((await deps.threads.turns(thread)).map((turn) => turn.jobId)).toEqual([first.runId]);
    // Its metadata is gone with it: a second click cannot tell who asked.
    await expect(planRunDeletion(deps, second.runId, OWNER)).rejects.toMatchObject({ code: "run_not_found" });
  });
});

describe("RunStore.remove", () => {
  it("answers whether there was a folder, and never removes beyond one run's folder", async () => {
    expect(await deps.runs.remove(newRunId())).toBe(false);
    await expect(deps.runs.remove("a/..")).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(deps.runs.blobs.removeFolder("a/..")).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(deps.runs.remove("..")).rejects.toBeInstanceOf(InvalidStorageKeyError);
    expect(await exists("")).toBe(true);
  });
});
