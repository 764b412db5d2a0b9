import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ThreadStyleStore } from "../../src/stores/thread-style.js";
import { THREAD_TTL_SECONDS } from "../../src/stores/threads.js";
import { deleteKeys, testRedis, uniquePrefix } from "../helpers/redis.js";

let redis: Redis;
let styles: ThreadStyleStore;
const prefix = uniquePrefix("thread-style");

beforeAll(() => {
  redis = testRedis();
  styles = new ThreadStyleStore(redis, prefix);
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const thread = (id: string) => ({ platform: "discord", workspace: "200000000000000001", thread: id });
const keys = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => `20261207-080000-0000000${from}/inputs/style_${index}.png`);

describe("each thread's pinned style", () => {
  it("keeps a sentence and images in order, for as long as the thread's turns", async () => {
    const address = thread("300000000000000001");
    expect(await styles.get(address)).toBeUndefined();
    expect(await styles.pinImages(address, keys(1, 2), 16)).toEqual({ pinned: 2 });
    await styles.pinSentence(address, "linocut");
    await styles.pinSentence(address, "linocut, two colours");
    expect(await styles.pinImages(address, keys(2, 1), 16)).toEqual({ pinned: 3 });
    expect(await styles.get(address)).toEqual({
      sentence: "linocut, two colours",
      imageKeys: [...keys(1, 2), ...keys(2, 1)],
    });
    const ttl = await redis.ttl(styles.key(address));
    expect(ttl).toBeGreaterThan(THREAD_TTL_SECONDS - 60);
    expect(await styles.clear(address)).toEqual({
      sentence: "linocut, two colours",
      imageKeys: [...keys(1, 2), ...keys(2, 1)],
    });
    expect(await styles.get(address)).toBeUndefined();
  });

  it("never holds more than the cap, even when pins race: the one past it is refused whole", async () => {
    const address = thread("300000000000000002");
    await styles.pinImages(address, keys(3, 14), 16);
    const outcomes = await Promise.all([
      styles.pinImages(address, keys(4, 2), 16),
      styles.pinImages(address, keys(5, 2), 16),
    ]);
    expect(outcomes).toContainEqual({ pinned: 16 });
    expect(outcomes).toContainEqual({ refused: true, pinned: 16 });
    expect((await styles.get(address))?.imageKeys).toHaveLength(16);
  });

  it("keeps threads apart", async () => {
    await styles.pinSentence(thread("300000000000000003"), "ink");
    expect(await styles.get(thread("300000000000000004"))).toBeUndefined();
  });
});
