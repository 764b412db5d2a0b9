import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordBot, startDiscordBot } from "../discord/harness.js";
import { type PrivateRedis, startPrivateRedis } from "../helpers/private-redis.js";
import { waitFor } from "../helpers/wait-for.js";

/**
 * The health and metrics endpoint of a bot process (`npm start` runs the same `startProcess`), on a Redis of
 * the test's own so that it can be taken away.
 */
let redis: PrivateRedis;
let bot: DiscordBot;
beforeAll(async () => {
  redis = await startPrivateRedis();
  bot = await startDiscordBot("http-endpoint", { env: { REDIS_URL: redis.url } });
});
afterAll(async () => {
  await bot.close();
  await redis.stop();
});

function get(path: string): Promise<Response> {
  const port = bot.running.http?.port;
  if (port === undefined) throw new Error("the process has no HTTP endpoint");
  return fetch(`http://127.0.0.1:${port}${path}`);
}

/** A sample's value in Prometheus text (`name{labels} value`), 0 when it is not there yet. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe("the HTTP endpoint", () => {
  it("answers /healthz, and /readyz with every check passing", async () => {
    const health = await get("/healthz");
    expect(health.status).toBe(200);
    const ready = await get("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ready: true,
      checks: { redis: "ok", storage: "ok", discord: "ok" },
    });
    expect((await get("/nothing")).status).toBe(404);
    // No DASHBOARD_USER and DASHBOARD_PASSWORD: no dashboard at all, not one behind a login.
    expect((await get("/dashboard")).status).toBe(404);
  });

  it("exports metrics that move with a job, BullMQ's job counts among them", async () => {
    const completed = 'imagine_jobs_finished_total{platform="discord",outcome="completed"}';
    const before = await (await get("/metrics")).text();
    const interaction = await bot.discord.slash("imagine", { prompt: "a counted lighthouse", partials: 2 });
    await bot.finalReply(interaction);
    await bot.idle();
    const response = await get("/metrics");
    expect(response.headers.get("content-type")).toContain("text/plain");
    const after = await response.text();
    expect(sample(after, completed)).toBe(sample(before, completed) + 1);
    expect(
      sample(after, 'imagine_job_duration_seconds_count{platform="discord",api="images"}'),
    ).toBeGreaterThan(sample(before, 'imagine_job_duration_seconds_count{platform="discord",api="images"}'));
    expect(sample(after, 'imagine_first_partial_seconds_count{api="images"}')).toBeGreaterThan(0);
    expect(sample(after, 'imagine_partial_to_edit_seconds_count{platform="discord"}')).toBeGreaterThan(0);
    expect(sample(after, 'imagine_openai_cost_dollars_total{model="gpt-image-2"}')).toBeGreaterThan(0);
    expect(after).toMatch(/^imagine_openai_tokens_total\{model="gpt-image-2",kind="output"\} \d+/m);
    expect(after).toMatch(/^bullmq_job_count\{queue="imagine-discord", state="completed"\} [1-9]/m);
    expect(after).toMatch(/^bullmq_job_count\{queue="imagine-slack", state="completed"\} 0/m);
    // Every queue's samples under the one HELP and TYPE of their family, as the text format wants.
    expect(after.match(/^# TYPE bullmq_job_count gauge$/gm)).toHaveLength(1);
    const lines = after.slice(after.indexOf("# TYPE bullmq_job_count gauge")).split("\n").slice(1);
    const family = lines.slice(
      0,
      lines.findIndex((line) => !line.startsWith("bullmq_job_count{")),
    );
    const queues = new Set(family.map((line) => /queue="([^"]+)"/.exec(line)?.[1]));
    expect([...queues].sort()).toEqual(["imagine", "imagine-discord", "imagine-slack", "imagine-web"]);
  });

  it("says it is not ready, and why, while Redis is down, and is ready again once it is back", async () => {
    await redis.down();
    try {
      // /readyz answers from a cache of a few seconds: the outage shows at the first check after it.
      const body = await waitFor("not ready", async () => {
        const ready = await get("/readyz");
        const answer = (await ready.json()) as { ready: boolean; checks: Record<string, string> };
        return ready.status === 503 ? answer : undefined;
      });
      expect(body.ready).toBe(false);
      expect(body.checks.redis).not.toBe("ok");
      expect(body.checks.storage).toBe("ok");
      // Still alive: an orchestrator restarts on /healthz, and Redis coming back needs no restart.
      expect((await get("/healthz")).status).toBe(200);
    } finally {
      await redis.up();
    }
    await waitFor("ready again", async () => (await get("/readyz")).status === 200);
    // And serving: the worker took up its work on the restarted Redis.
    await bot.finalReply(await bot.discord.slash("imagine", { prompt: "after the outage", partials: 0 }));
  });
});
