import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/**
 * Tests share one Redis, the one `.ci/run` made sure answers on `REDIS_URL` (README: "use the Redis on
 * REDIS_URL"); each test file gets its own key prefix and removes its keys after.
 */
export const TEST_REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

export function uniquePrefix(label: string): string {
  return `test-${label}-${randomBytes(4).toString("hex")}`;
}

export function testRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

/** Removes every key a test left under its prefix, on a connection of its own. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = testRedis();
  try {
    await deleteKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/**
 * The environment every in-process test set-up shares: the fake OpenAI, fast retries, the test Redis under a
 * prefix of its own, and a storage folder of its own. Platforms add their tokens and fake URLs.
 */
export function baseTestEnv(openaiUrl: string, prefix: string, storageDir: string): Record<string, string> {
  return {
    OPENAI_API_KEY: "sk-test-key",
    OPENAI_BASE_URL: openaiUrl,
    OPENAI_RETRY_BASE_MS: "5",
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    STORAGE_DIR: storageDir,
    // Tests make many images for one person; the budget tests set their own.
    BUDGET_USER_DAY_USD: "0",
    BUDGET_GLOBAL_DAY_USD: "0",
    // Tests start images faster than any usage tier allows; the rate-limit tests set their own.
    OPENAI_IMAGES_PER_MINUTE: "0",
    // Many bots run at once: each health endpoint on a port of its own.
    HTTP_PORT: "0",
    // Tests count the fake's requests; the shutdown-date tests turn the start's GET /models on.
    OPENAI_SHUTDOWN_DATES: "false",
  };
}
