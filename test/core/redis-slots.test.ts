import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BudgetLedger } from "../../src/budget/ledger.js";
import { createImagineQueue } from "../../src/queue/imagine-queue.js";
import { queueNameFor } from "../../src/queue/platform-queues.js";
import { RunIndex } from "../../src/stores/run-index.js";
import { ThreadStore } from "../../src/stores/threads.js";
import { deleteKeys, testRedis, uniquePrefix } from "../helpers/redis.js";

/**
 * On one Redis the hash tags a cluster needs are left out: an upgrade must find the budgets' counters, the
 * threads, the run lists and the queued jobs under the names earlier releases wrote.
 */
let redis: Redis;
const prefix = uniquePrefix("slots");
beforeAll(() => {
  redis = testRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const none = { usd: 0, images: 0 };
const now = new Date("2026-12-07T14:00:00Z");

describe("key names on one Redis", () => {
  it("stay those earlier releases wrote: budgets, threads, run lists, queues", async () => {
    const ledger = new BudgetLedger(redis, prefix, {
      user: { day: none, month: none },
      server: { day: none, month: none },
      global: { day: { usd: 5, images: 0 }, month: none },
    });
    await ledger.reserve(
      "run-1",
      { platform: "discord", id: "1", workspace: "2" },
      { micro: 10, images: 1 },
      now,
    );
    expect(await redis.hget(`${prefix}:budget:spent:global:global:2026-12-07`, "micro")).toBe("10");
    expect(await redis.exists(`${prefix}:budget:reserved:run-1`)).toBe(1);

    const address = { platform: "discord", workspace: "2", thread: "3" };
    expect(new ThreadStore(redis, prefix).key(address)).toBe(`${prefix}:thread:discord:2:3`);
    const runs = new RunIndex(redis, prefix);
    expect(runs.key({ platform: "discord", workspace: "2", id: "1" })).toBe(`${prefix}:runs:discord:2:1`);
    expect(runs.personKey({ platform: "discord", id: "1" })).toBe(`${prefix}:runs-of:discord:1`);

    const queue = createImagineQueue(redis, prefix, queueNameFor("discord"));
    try {
      expect(queue.toKey("")).toBe(`${prefix}:imagine-discord:`);
    } finally {
      await queue.close();
    }
  });
});
