import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { leaseShards, type ShardLeases, shardLeaseKey } from "../../src/platforms/discord/shard-lease.js";
import { dropPrefix, testRedis, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";

/** The leases bot processes take on their gateway shards, on the real Redis: one process a shard. */
const prefix = uniquePrefix("shard-lease");
let redis: Redis;
const logs: { msg: string; shard?: number }[] = [];
const logger = createLogger("info", { write: (line: string) => logs.push(JSON.parse(line)) });
const held: ShardLeases[] = [];

const lease = async (ids: number[], leaseMs?: number) => {
  const leases = await leaseShards({
    redis,
    prefix,
    plan: { count: 4, ids },
    logger,
    ...(leaseMs ? { leaseMs } : {}),
  });
  held.push(leases);
  return leases;
};

beforeAll(() => {
  redis = testRedis();
});
afterEach(async () => {
  for (const leases of held.splice(0)) await leases.release();
  logs.length = 0;
});
afterAll(async () => {
  redis.disconnect();
  await dropPrefix(prefix);
});

describe("Discord shard leases", () => {
  it("refuses a second process a shard the first holds, in one sentence, and leaves it holding nothing", async () => {
    await lease([1, 2]);
    const refused = lease([0, 1]);
    await expect(refused).rejects.toThrow(
      /^Shard 1 of 4 is already run by another bot process \([^)]+:\d+:[0-9a-f]{8}\); give every process shards of its own \(DISCORD_SHARD_IDS\), or, if that process was killed, start again in \d+ s when its lease lapses\.$/,
    );
    // Shard 0, taken before shard 1 was found held, was let go: another process takes it at once.
    await lease([0]);
    await expect(lease([2])).rejects.toThrow("Shard 2 of 4 is already run");
  });

  it("lets its shards go on release, for the next process to take at once", async () => {
    const first = await lease([3]);
    await first.release();
    expect(await redis.exists(shardLeaseKey(prefix, 3))).toBe(0);
    await lease([3]);
  });

  it("renews its lease while it runs, and takes it again when Redis lost it", async () => {
    await lease([1], 900);
    const key = shardLeaseKey(prefix, 1);
    const holder = await redis.get(key);
    // A renewal sets the time left back up: seen as a PTTL larger than the read before it (between renewals it
    // only falls). Compared with each last read, not the first: that one may come in the lease's first
    // millisecond, above anything a renewal later shows.
    let last = await redis.pttl(key);
    await waitFor("a renewal", async () => {
      const left = await redis.pttl(key);
      const renewed = left > last;
      last = left;
      return renewed;
    });
    await redis.del(key);
    await waitFor("the lease taken again", async () => (await redis.get(key)) === holder);
  });

  it("says so when another process took its lapsed lease, and does not take it back", async () => {
    await lease([2], 900);
    const key = shardLeaseKey(prefix, 2);
    await redis.set(key, "other-host:1:00000000", "PX", 60_000);
    await waitFor("the loss logged", () =>
      logs.find((line) => line.msg === "another bot process took this process's Discord shard lease"),
    );
    expect(await redis.get(key)).toBe("other-host:1:00000000");
  });
});
