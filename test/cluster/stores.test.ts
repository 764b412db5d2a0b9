import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Cluster } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BudgetLimits } from "../../src/budget/budget-scopes.js";
import { BudgetLedger, type Spend } from "../../src/budget/ledger.js";
import { probeRedis } from "../../src/cli/redis-probe.js";
import { UserError } from "../../src/core/errors.js";
import { queueKeyPrefix } from "../../src/core/redis-slots.js";
import { publishStudioEvent } from "../../src/platforms/web/channel.js";
import { StudioEventHub } from "../../src/platforms/web/event-hub.js";
import { connectRedis, createRedisConnection } from "../../src/queue/connection.js";
import { RunIndex } from "../../src/stores/run-index.js";
import { ThreadStyleStore } from "../../src/stores/thread-style.js";
import { ThreadStore } from "../../src/stores/threads.js";
import { UserLimits } from "../../src/stores/user-limits.js";
import { TEST_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { CLUSTER_BLOCKS, startRedisCluster, type TestCluster } from "../helpers/redis-cluster.js";

/**
 * The stores whose Lua scripts and MULTIs touch several keys at once, on a real 3-primary Redis Cluster: a
 * key in another hash slot than its fellows fails there with CROSSSLOT, as nowhere on one Redis.
 */
let cluster: TestCluster;
let redis: Cluster;
let other: Cluster;
const prefix = uniquePrefix("cluster-stores");
beforeAll(async () => {
  cluster = await startRedisCluster(CLUSTER_BLOCKS.stores);
  redis = cluster.client();
  other = cluster.client();
}, 90_000);
afterAll(async () => {
  redis?.disconnect();
  other?.disconnect();
  await cluster?.stop();
});

const none = { usd: 0, images: 0 };
const limits = (global: BudgetLimits["global"]["day"], user = none): BudgetLimits => ({
  user: { day: user, month: none },
  server: { day: none, month: none },
  global: { day: global, month: none },
});
const now = new Date("2026-12-07T13:30:00Z");
/** About a high-quality 1024x1024 image on gpt-image-2. */
const image: Spend = { micro: 211_000, images: 1 };
const personOf = (index: number) => ({
  platform: "discord",
  id: `1000000000000000${String(index).padStart(2, "0")}`,
  workspace: "200000000000000001",
});

async function slotOf(key: string): Promise<number> {
  return Number(await redis.cluster("KEYSLOT", key));
}

describe("budgets on a Redis Cluster", () => {
  it("50 people reserving at once, on two connections, fill the $3 global budget and never pass it", async () => {
    const budget = `${prefix}-race`;
    const ledgers = [redis, other].map(
      (client) => new BudgetLedger(client, budget, limits({ usd: 3, images: 0 })),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) =>
        (ledgers[index % 2] as BudgetLedger).reserve(`run-${index}`, personOf(index), image, now),
      ),
    );
    const refused = results.filter((result) => result.status === "rejected");
    for (const result of refused) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(UserError);
    // 14 × $0.211 = $2.954 fits in $3; a 15th would make $3.165.
    expect(results.length - refused.length).toBe(14);
    const ledger = ledgers[0] as BudgetLedger;
    const spent = await ledger.spent({ kind: "global", id: "global" }, "day", now);
    expect(spent).toEqual({ micro: 14 * image.micro, images: 14 });
    expect(spent.micro).toBeLessThanOrEqual(3_000_000);
    // Each person who got in is listed in the server's people of the day (a pipeline, read in one slot).
    const people = await ledger.people("discord", "200000000000000001", "day", now);
    expect(people).toHaveLength(14);

    // Settling and refunding, after the race, touch the same counters in one script each.
    const accepted = results.flatMap((result, index) => (result.status === "fulfilled" ? [index] : []));
    for (const index of accepted.slice(0, 4)) await ledger.refund(`run-${index}`);
    await ledger.settle(`run-${accepted[4]}`, { micro: 100_000, images: 1 });
    expect(await ledger.spent({ kind: "global", id: "global" }, "day", now)).toEqual({
      micro: 9 * image.micro + 100_000,
      images: 10,
    });
  });

  it("one person's 50 at once against their own $1 a day: 4 reserved, the rest refused", async () => {
    const ledger = new BudgetLedger(redis, `${prefix}-person`, limits(none, { usd: 1, images: 0 }));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) => ledger.reserve(`run-${index}`, personOf(1), image, now)),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(4);
    expect((await ledger.spent({ kind: "user", id: "discord:100000000000000001" }, "day", now)).micro).toBe(
      4 * image.micro,
    );
  });
});

describe("a QUEUE_PREFIX with its own hash tag, as BullMQ's docs advise", () => {
  it("keeps it: every key, budgets and queues alike, in the prefix's slot", async () => {
    const tagged = `{${prefix}-tagged}`;
    expect(queueKeyPrefix(redis, tagged)).toBe(tagged);
    const ledger = new BudgetLedger(redis, tagged, limits({ usd: 1, images: 0 }));
    await ledger.reserve("run-1", personOf(4), image, now);
    const counters = await redis.hget(`${tagged}:budget:reserved:run-1`, "counters");
    const slots = new Set(await Promise.all((counters ?? "").split(" ").map(slotOf)));
    expect([...slots]).toEqual([await slotOf(tagged)]);
  });
});

describe("stores on a Redis Cluster", () => {
  const address = { platform: "discord", workspace: "200000000000000001", thread: "300000000000000001" };

  it("a thread's turns and its forgotten mark change together", async () => {
    const threads = new ThreadStore(redis, prefix);
    const turn = { jobId: "job-1", responseId: "resp_1", imageKeys: [], createdAt: now.toISOString() };
    await threads.append(address, turn);
    expect(await threads.turns(address)).toEqual([turn]);
    expect(await threads.clear(address)).toBe(true);
    expect(await threads.forgotten(address)).toBe(true);
    await threads.append(address, { ...turn, jobId: "job-2" });
    expect(await threads.forgotten(address)).toBe(false);
  });

  it("a person's runs are kept in their place's list and in their own, in one slot", async () => {
    const index = new RunIndex(redis, prefix);
    const owner = personOf(2);
    await index.record(owner, "run-a", now);
    await index.record(owner, "run-b", new Date(now.getTime() + 1_000));
    expect(await slotOf(index.personKey(owner))).toBe(await slotOf(index.key(owner)));
    expect(await index.newest(owner)).toEqual(["run-b", "run-a"]);
    await index.remove(owner, ["run-a"]);
    expect(await index.newestOfPerson(owner, 10)).toEqual(["run-b"]);
  });

  it("people land in different slots: not everything is in one", async () => {
    const index = new RunIndex(redis, prefix);
    const slots = new Set(
      await Promise.all(Array.from({ length: 8 }, (_, i) => slotOf(index.personKey(personOf(i))))),
    );
    expect(slots.size).toBeGreaterThan(1);
  });

  it("a person's active jobs and a thread's pinned style, each a script on one key", async () => {
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 1 });
    await limits.acquire(personOf(3), "job-1", now);
    await expect(limits.acquire(personOf(3), "job-2", now)).rejects.toBeInstanceOf(UserError);
    const styles = new ThreadStyleStore(redis, prefix);
    expect(await styles.pinImages(address, ["a.png", "b.png"], 4)).toEqual({ pinned: 2 });
    expect(await styles.pinImages(address, ["c.png", "d.png", "e.png"], 4)).toEqual({
      refused: true,
      pinned: 2,
    });
  });
});

describe("connections to a Redis Cluster", () => {
  it("the CLI's probe finds the cluster, and says why when none of its nodes answers", async () => {
    expect(await probeRedis({ redisUrl: "", redisClusterNodes: cluster.nodes })).toEqual({ ok: true });
    // A port of this suite's range that no block uses: nothing listens there.
    const none = await probeRedis({ redisUrl: "", redisClusterNodes: ["redis://127.0.0.1:7199"] });
    expect(none).toMatchObject({ ok: false, reason: expect.any(String) });
  });

  it("a cluster none of whose nodes answers is named in one sentence, its variable's value without a password", async () => {
    const target = { redisUrl: "", redisClusterNodes: ["redis://:secret@127.0.0.1:7199"] };
    await expect(connectRedis(createRedisConnection(target, "producer"), target)).rejects.toThrow(
      "Cannot reach the Redis Cluster at redis://:***@127.0.0.1:7199: None of startup nodes is available",
    );
  });

  it("a Redis without cluster mode given as a cluster is named as such, not as unreachable", async () => {
    // The tests' own Redis answers, but is one server: the operator meant REDIS_URL.
    const target = { redisUrl: "", redisClusterNodes: [TEST_REDIS_URL] };
    await expect(connectRedis(createRedisConnection(target, "producer"), target)).rejects.toThrow(
      /is a Redis without cluster mode \(cluster_enabled:0\): give it as REDIS_URL and leave REDIS_CLUSTER_NODES empty/,
    );
  });

  it("the studio's events reach a page through a subscriber on the cluster", async () => {
    const target = { redisUrl: "", redisClusterNodes: cluster.nodes };
    const subscriber = await connectRedis(createRedisConnection(target, "worker"), target);
    const hub = new StudioEventHub(subscriber, prefix, pino({ level: "silent" }));
    const person = { platform: "discord", id: "100000000000000009" };
    const server = createServer((_req, res) => void hub.open(res, person));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = "";
      const readUntil = async (part: string) => {
        while (!text.includes(part)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`the stream ended before ${part}: ${text}`);
          text += new TextDecoder().decode(value);
        }
      };
      await readUntil(": connected");
      await publishStudioEvent(redis, prefix, person, { runId: "run-1", type: "queued", position: 2 });
      await readUntil('"position":2');
      await reader.cancel();
    } finally {
      hub.close();
      server.close();
    }
  });
});
