import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackThread } from "../../src/platforms/slack/deps.js";
import { ThreadStore, type ThreadTurn } from "../../src/stores/threads.js";
import { deleteKeys, testRedis, uniquePrefix } from "../helpers/redis.js";

let redis: Redis;
let store: ThreadStore;
const prefix = uniquePrefix("threads-slack-channel");

beforeAll(() => {
  redis = testRedis();
  store = new ThreadStore(redis, prefix);
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const turn = (jobId: string, createdAt: string): ThreadTurn => ({
  jobId,
  responseId: `resp_${jobId}`,
  imageKeys: [`${jobId}/final_0.png`],
  createdAt,
});

describe("Slack thread addresses", () => {
  it("keep the same root ts in two channels as two chains", async () => {
    // A ts is unique within its channel only: two channels may each have a thread under this one.
    const general = slackThread("T0TEAM", "C0GENERAL", "1800000000.000100");
    const random = slackThread("T0TEAM", "C0RANDOM", "1800000000.000100");
    await store.append(general, turn("general-1", "2026-11-21T09:00:00.000Z"));
    await store.append(random, turn("random-1", "2026-11-21T09:00:01.000Z"));

    expect((await store.turns(general)).map((t) => t.jobId)).toEqual(["general-1"]);
    expect((await store.latest(random))?.responseId).toBe("resp_random-1");
    expect(store.key(general)).not.toBe(store.key(random));
  });
});

describe("ThreadStore removal", () => {
  it("drops named turns, and a whole thread, leaving other threads alone", async () => {
    const thread = slackThread("T0TEAM", "C0GENERAL", "1800000000.000200");
    const other = slackThread("T0TEAM", "C0GENERAL", "1800000000.000300");
    await store.append(thread, turn("a", "2026-11-21T09:00:00.000Z"));
    await store.append(thread, turn("b", "2026-11-21T09:00:01.000Z"));
    await store.append(other, turn("c", "2026-11-21T09:00:02.000Z"));

    expect(await store.remove(thread, ["a", "never-there"])).toBe(1);
    expect((await store.turns(thread)).map((t) => t.jobId)).toEqual(["b"]);
    expect(await store.clear(thread)).toBe(true);
    expect(await store.turns(thread)).toEqual([]);
    expect(await store.clear(thread)).toBe(false);
    expect((await store.turns(other)).map((t) => t.jobId)).toEqual(["c"]);
  });
});
