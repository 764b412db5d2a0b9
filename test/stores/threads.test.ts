import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  THREAD_TTL_SECONDS,
  type ThreadAddress,
  ThreadStore,
  type ThreadTurn,
} from "../../src/stores/threads.js";
import { deleteKeys, testRedis, uniquePrefix } from "../helpers/redis.js";

let redis: Redis;
const prefix = uniquePrefix("threads");

beforeAll(() => {
  redis = testRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const address: ThreadAddress = {
  platform: "discord",
  workspace: "123456789012345678",
  thread: "223456789012345678",
};

function turn(jobId: string, createdAt: string, parentJobId?: string): ThreadTurn {
  return {
    jobId,
    responseId: `resp_${jobId}`,
    imageKeys: [`${jobId}/final_0.png`],
    createdAt,
    ...(parentJobId ? { parentJobId } : {}),
  };
}

describe("ThreadStore", () => {
  it("keeps turns in order with a 30-day TTL, and branches without rewriting history", async () => {
    const store = new ThreadStore(redis, prefix);
    await store.append(address, turn("job-1", "2026-11-21T10:00:00.000Z"));
    await store.append(address, turn("job-2", "2026-11-21T10:01:00.000Z", "job-1"));
    // A reply to the first result: a branch whose parent is job-1, not the latest turn.
    await store.append(address, turn("job-3", "2026-11-21T10:02:00.000Z", "job-1"));

    expect((await store.turns(address)).map((t) => t.jobId)).toEqual(["job-1", "job-2", "job-3"]);
    expect((await store.latest(address))?.jobId).toBe("job-3");
    expect((await store.chain(address, "job-3")).map((t) => t.jobId)).toEqual(["job-1", "job-3"]);
    expect((await store.chain(address, "job-2")).map((t) => t.jobId)).toEqual(["job-1", "job-2"]);

    const ttl = await redis.ttl(store.key(address));
    expect(ttl).toBeGreaterThan(THREAD_TTL_SECONDS - 10);
    expect(ttl).toBeLessThanOrEqual(THREAD_TTL_SECONDS);
  });

  it("finds a turn by the message that shows it once the renderer records it", async () => {
    const store = new ThreadStore(redis, prefix);
    const other: ThreadAddress = { ...address, thread: "323456789012345678" };
    await store.append(other, turn("job-a", "2026-11-21T11:00:00.000Z"));
    expect(await store.find(other, { messageId: "423456789012345678" })).toBeUndefined();
    await store.setMessageId(other, "job-a", "423456789012345678");
    expect((await store.find(other, { messageId: "423456789012345678" }))?.responseId).toBe("resp_job-a");
    expect((await store.find(other, { jobId: "job-a" }))?.messageId).toBe("423456789012345678");
    expect(await store.find(other, { jobId: "missing" })).toBeUndefined();
  });

  it("keeps threads apart by platform and workspace", async () => {
    const store = new ThreadStore(redis, prefix);
    expect(await store.latest({ ...address, platform: "slack" })).toBeUndefined();
    expect(await store.turns({ ...address, workspace: "999999999999999999" })).toEqual([]);
  });
});
