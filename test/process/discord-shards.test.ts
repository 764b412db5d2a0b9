import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardLeaseKey } from "../../src/platforms/discord/shard-lease.js";
import type { FakeDiscord, FakeMessage } from "../fakes/discord/fake.js";
import { shardOf } from "../fakes/discord/snowflake.js";
import { customIds, jobIdOf } from "../helpers/discord-result.js";
import { testRedis } from "../helpers/redis.js";
import { type DiscordProcesses, startDiscordProcesses } from "./discord-processes.js";
import { REPO_ROOT, type ScriptProcess } from "./npm-process.js";
import { PROCESS_TEST_TIMEOUT_MS, stopCleanly } from "./scripts.js";

/**
 * One bot on four gateway shards, run by two `npm run bot` processes of two shards each (DISCORD_SHARD_IDS), and
 * a worker, against the fake Discord that routes each server's events to its shard only, as Discord does.
 */
const SHARDS = 4;
let world: DiscordProcesses;
let discord: FakeDiscord;
let redis: Redis;
/** A server's channel on each shard, by shard id. */
const channelOn: string[] = [];

beforeAll(async () => {
  world = await startDiscordProcesses(
    "process-shards",
    { DISCORD_SHARD_COUNT: String(SHARDS) },
    {},
    { shards: { recommended: SHARDS, required: SHARDS } },
  );
  discord = world.discord;
  redis = testRedis();
  for (let shard = 0; shard < SHARDS; shard += 1) {
    const onMain = shardOf(discord.guildId, SHARDS) === shard;
    channelOn.push(onMain ? discord.channelId : discord.addGuild({ shard, count: SHARDS }).channelId);
  }
});
afterAll(async () => {
  redis?.disconnect();
  await world?.close();
});

/** `npm run bot` on `ids`, as an operator starts each process of a sharded bot. */
const bot = (ids: string): ScriptProcess =>
  world.runCommand(["npm", "run", "bot"], REPO_ROOT, { DISCORD_SHARD_IDS: ids });

async function readyz(proc: ScriptProcess): Promise<number> {
  const listening = await proc.waitForLog(
    (line) => line.msg === "health and metrics endpoint listening",
    "the endpoint",
  );
  return (await fetch(`http://127.0.0.1:${listening.port}/readyz`)).status;
}

describe("two npm run bot processes of two shards each", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("answer /imagine in a server on every shard and in a DM, a button on a result works, and a third process on a taken shard is refused", async () => {
    const low = bot("0,1");
    const high = bot("2-3");
    const worker = world.run("worker");
    for (const [proc, what] of [
      [low, "the bot on shards 0, 1"],
      [high, "the bot on shards 2, 3"],
      [worker, "the worker"],
    ] as const)
      await proc.waitForLog((line) => line.msg === "imagine-bot running", what);
    await discord.waitForBot(SHARDS);
    expect(discord.gateway.shards).toEqual([0, 1, 2, 3].map((id) => [id, SHARDS]));
    const gatewayReady = (proc: ScriptProcess) =>
      proc.waitForLog((line) => line.msg === "discord gateway ready", "the gateway");
    expect((await gatewayReady(low)).shards).toBe("shards 0, 1 of 4");
    expect((await gatewayReady(high)).shards).toBe("shards 2, 3 of 4");
    expect([await readyz(low), await readyz(high)]).toEqual([200, 200]);

    // One after another: one person has at most USER_MAX_ACTIVE_JOBS (3) running.
    const results: FakeMessage[] = [];
    for (const [shard, channelId] of channelOn.entries()) {
      const prompt = `a kite on shard ${shard}`;
      results.push(
        await world.finalReply(
          await discord.slash("imagine", { prompt, partials: 0 }, discord.user, channelId),
        ),
      );
    }
    for (const [shard, result] of results.entries()) {
      expect(result.channel_id).toBe(channelOn[shard]);
      expect(result.content).toContain(`a kite on shard ${shard}`);
      expect(customIds(result.components).map((id) => id.split(":")[0])).toContain("reroll");
    }

    // A DM reaches shard 0 alone, which the first process runs.
    const inDm = await world.finalReply(
      await discord.slashInDm("imagine", { prompt: "a DM kite", partials: 0 }),
    );
    expect(inDm.content).toContain("a DM kite");

    // A button carries no shard: its press reaches the process that owns the server, as on shard 3 here.
    const last = results[SHARDS - 1];
    if (last === undefined) throw new Error("no result on the last shard");
    const reroll = await world.finalReply(await discord.click(last, `reroll:${jobIdOf(last)}`));
    expect(reroll.content).toContain(`a kite on shard ${SHARDS - 1}`);
    expect(jobIdOf(reroll)).not.toBe(jobIdOf(last));

    // A third process asking for shard 1, which the first runs: its lease in Redis is taken, so the process stops
    // before it connects, saying why (Discord may not refuse a second connection on a shard).
    const refusedBefore = discord.gateway.refused.length;
    const duplicate = bot("1");
    const ended = await duplicate.exited;
    expect(ended.code, duplicate.output()).toBe(1);
    expect(duplicate.output()).toMatch(
      /error: Shard 1 of 4 is already run by another bot process \([^)]+\); give every process shards of its own \(DISCORD_SHARD_IDS\)/,
    );
    expect(discord.gateway.refused).toHaveLength(refusedBefore);
    expect(discord.gateway.shards).toHaveLength(SHARDS);
    // The first process still serves shard 1.
    const again = await world.finalReply(
      await discord.slash("imagine", { prompt: "still on shard 1", partials: 0 }, discord.user, channelOn[1]),
    );
    expect(again.content).toContain("still on shard 1");

    // Each process holds a lease per shard while it runs, and lets them go when it stops.
    const leased = () =>
      Promise.all([0, 1, 2, 3].map((shard) => redis.exists(shardLeaseKey(world.prefix, shard))));
    expect(await leased()).toEqual([1, 1, 1, 1]);
    await stopCleanly(low);
    expect(await leased()).toEqual([0, 0, 1, 1]);
    await stopCleanly(high);
    expect(await leased()).toEqual([0, 0, 0, 0]);
    await stopCleanly(worker);
    // A stop lets the shards go without calling it a reconnect.
    const reconnects = [...low.logs(), ...high.logs()].filter(
      (line) => line.msg === "discord shard reconnecting",
    );
    expect(reconnects).toEqual([]);
  });
});
