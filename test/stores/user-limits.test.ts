import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserLimits } from "../../src/stores/user-limits.js";
import { deleteKeys, testRedis, uniquePrefix } from "../helpers/redis.js";

let redis: Redis;
const prefix = uniquePrefix("limits");
beforeAll(() => {
  redis = testRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const person = (id: string) => ({ platform: "discord", id });

describe("UserLimits", () => {
  it("caps jobs in flight per person and frees the slot on release", async () => {
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 2, dailyImages: 0 });
    await limits.acquire(person("a"), "job-1", 1);
    await limits.acquire(person("a"), "job-2", 1);
    await expect(limits.acquire(person("a"), "job-3", 1)).rejects.toMatchObject({
      code: "too_many_active_jobs",
      kind: "invalid_input",
      message: "You already have 2 requests in progress; wait for one to finish.",
    });
    await limits.acquire(person("b"), "job-4", 1); // someone else is not affected
    await limits.release(person("a"), "job-1");
    await limits.acquire(person("a"), "job-3", 1);
  });

  it("lets exactly the limit through when one person sends many commands at once", async () => {
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 3, dailyImages: 0 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, index) => limits.acquire(person("burst"), `job-${index}`, 1)),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(3);
  });

  it("forgets a job whose worker died an hour ago", async () => {
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 1, dailyImages: 0 });
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await limits.acquire(person("c"), "lost-job", 1, twoHoursAgo);
    await limits.acquire(person("c"), "new-job", 1);
  });

  it("counts images made per UTC day and refuses a request that would pass the limit", async () => {
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 0, dailyImages: 5 });
    const today = new Date("2026-11-21T12:00:00Z");
    await limits.settle(person("d"), "four-images", 4, today);
    expect(await limits.imagesToday(person("d"), today)).toBe(4);
    await limits.acquire(person("d"), "one-more", 1, today);
    await expect(limits.acquire(person("d"), "two-more", 2, today)).rejects.toMatchObject({
      code: "daily_limit_reached",
    });
    await limits.acquire(person("d"), "tomorrow", 2, new Date("2026-11-22T00:00:01Z"));
  });

  it("frees the slot and counts the images once, however often a job is settled", async () => {
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 1, dailyImages: 10 });
    const today = new Date("2026-11-21T12:00:00Z");
    await limits.acquire(person("f"), "job-1", 2, today);
    await Promise.all([
      limits.settle(person("f"), "job-1", 2, today),
      limits.settle(person("f"), "job-1", 2, today),
    ]);
    await limits.settle(person("f"), "job-1", 2, today);
    expect(await limits.imagesToday(person("f"), today)).toBe(2);
    expect(await limits.activeJobs(person("f"))).toEqual([]);
    await limits.acquire(person("f"), "job-2", 1, today);
    expect(await limits.activeJobs(person("f"))).toEqual(["job-2"]);
  });

  it("limits nothing when both limits are 0", async () => {
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 0, dailyImages: 0 });
    await limits.settle(person("e"), "many-images", 1000);
    for (let index = 0; index < 20; index++) await limits.acquire(person("e"), `job-${index}`, 10);
  });
});
