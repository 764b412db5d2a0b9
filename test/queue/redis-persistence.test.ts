import { afterEach, describe, expect, it } from "vitest";
import { type DiscordBot, type LogRecord, startDiscordBot } from "../discord/harness.js";
import { type PrivateRedis, startPrivateRedis } from "../helpers/private-redis.js";

/**
 * Queued jobs live only in Redis: a bot process starting on a Redis that keeps nothing across its own restart
 * says so once in its log, and one that cannot ask (CONFIG refused, as managed Redis does) says only that.
 */
let redis: PrivateRedis | undefined;
let bot: DiscordBot | undefined;
afterEach(async () => {
  await bot?.close();
  await redis?.stop();
  bot = undefined;
  redis = undefined;
});

async function startOn(options: Parameters<typeof startPrivateRedis>[0]): Promise<LogRecord[]> {
  redis = await startPrivateRedis(options);
  bot = await startDiscordBot("redis-persistence", { env: { REDIS_URL: redis.url }, logLevel: "info" });
  return bot.logs.filter((record) => /across a restart/.test(record.msg));
}

describe("start-up on a Redis without persistence", { timeout: 60_000 }, () => {
  it("warns when Redis has neither an append-only file nor snapshots", async () => {
    const lines = await startOn({ appendOnly: false });
    expect(lines.map(({ level, msg }) => ({ level, msg }))).toEqual([
      {
        level: 40,
        msg: "Redis keeps nothing across a restart (appendonly no, save empty): a restart loses every queued job, and their messages stay Queued; turn on appendonly yes",
      },
    ]);
  });

  it("says nothing of it on a Redis with an append-only file", async () => {
    expect(await startOn({})).toEqual([]);
  });

  it("only notes that it could not check where CONFIG is refused, without a warning", async () => {
    const lines = await startOn({ config: false });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: "could not check whether Redis keeps data across a restart",
      reason: expect.stringMatching(/unknown command/),
    });
  });
});
