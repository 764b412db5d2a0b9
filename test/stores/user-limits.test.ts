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
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 2 });
    await limits.acquire(person("a"), "job-1");
    await limits.acquire(person("a"), "job-2");
    await expect(limits.acquire(person("a"), "job-3")).rejects.toMatchObject({
      code: "too_many_active_jobs",
      kind: "invalid_input",
      message: "You already have 2 requests in progress; wait for one to finish.",
    });
    await limits.acquire(person("b"), "job-4"); // someone else is not affected
    await limits.release(person("a"), "job-1");
    await limits.acquire(person("a"), "job-3");
  });

  it("lets exactly the limit through when one person sends many commands at once", async () => {
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 3 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, index) => limits.acquire(person("burst"), `job-${index}`)),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(3);
  });

  it("forgets a job whose worker died an hour ago", async () => {
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 1 });
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await limits.acquire(person("c"), "lost-job", twoHoursAgo);
    await limits.acquire(person("c"), "new-job");
  });

  it("limits nothing when the limit is 0", async () => {
    const limits = new UserLimits(redis, prefix, { maxActiveJobs: 0 });
    for (let index = 0; index < 20; index++) await limits.acquire(person("e"), `job-${index}`);
    expect(await limits.activeJobs(person("e"))).toHaveLength(20);
  });
});
