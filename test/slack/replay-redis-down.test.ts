import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivateRedis, startPrivateRedis } from "../helpers/private-redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness } from "./harness.js";

/**
 * The replay guard with its memory gone: on a Redis of the test's own, taken away. A request it cannot check
 * is not taken (Slack retries an event; a person sees the command fail, not run twice), and nothing is stuck.
 */
let redis: PrivateRedis;
let h: SlackHarness;
beforeAll(async () => {
  redis = await startPrivateRedis();
  h = await startSlackHarness("slack-replay-down", { env: { REDIS_URL: redis.url } });
});
afterAll(async () => {
  await h.close();
  await redis.stop();
});

describe("Slack's replay guard while Redis is down", () => {
  it("answers 503 to a signed request it cannot check, logs why, and takes requests again once Redis is back", async () => {
    await redis.down();
    try {
      const reply = await h.driver.slashCommand({ text: "help" });
      expect(reply).toEqual({ status: 503, body: "" });
      expect(h.logs.some((record) => /not checked for a replay/.test(record.msg))).toBe(true);
    } finally {
      await redis.up();
    }
    const back = await waitFor("a request taken again", async () => {
      const reply = await h.driver.slashCommand({ text: "help" });
      return reply.status === 200 ? reply : undefined;
    });
    expect(back.body).toContain("--size");
  });
});
