import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/config/types.js";

const bot = { OPENAI_API_KEY: "sk-test", DISCORD_TOKEN: "token" };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...bot, ...env }, ["openai", "gateways"]);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS", () => {
  it("run one shard, all of it, when unset or empty", () => {
    expect(loadConfig(bot).discord?.shards).toEqual({ count: 1, ids: undefined });
    const empty = loadConfig({ ...bot, DISCORD_SHARD_COUNT: "", DISCORD_SHARD_IDS: " " });
    expect(empty.discord?.shards).toEqual({ count: 1, ids: undefined });
  });

  it("read a count or auto, and ids as lists and ranges, sorted and without repeats", () => {
    const shards = (count: string, ids: string) =>
      loadConfig({ ...bot, DISCORD_SHARD_COUNT: count, DISCORD_SHARD_IDS: ids }).discord?.shards;
    expect(shards("4", "2-3")).toEqual({ count: 4, ids: [2, 3] });
    expect(shards("8", "5, 0-1,1")).toEqual({ count: 8, ids: [0, 1, 5] });
    expect(shards("AUTO", "7")).toEqual({ count: "auto", ids: [7] });
  });

  it("refuse impossible values with one sentence each", () => {
    expect(problemsOf({ DISCORD_SHARD_COUNT: "0" })).toEqual([
      "DISCORD_SHARD_COUNT: must be a whole number of shards (1 or more), or auto",
    ]);
    expect(problemsOf({ DISCORD_SHARD_COUNT: "two" })).toHaveLength(1);
    expect(problemsOf({ DISCORD_SHARD_IDS: "," })).toEqual([
      "DISCORD_SHARD_IDS: names no shard: leave it empty to run all of them",
    ]);
    expect(problemsOf({ DISCORD_SHARD_IDS: "3-2" })).toEqual([
      'DISCORD_SHARD_IDS: "3-2": must be shard ids such as 0,1 or 2-3',
    ]);
    expect(problemsOf({ DISCORD_SHARD_IDS: "0-99999999" })).toHaveLength(1);
    expect(problemsOf({ DISCORD_SHARD_COUNT: "4", DISCORD_SHARD_IDS: "2-5" })).toEqual([
      "DISCORD_SHARD_IDS: shards 4, 5 do not exist among 4 shards: shard ids run from 0 to 3 (DISCORD_SHARD_COUNT)",
    ]);
    expect(problemsOf({ DISCORD_SHARD_IDS: "1" })).toEqual([
      "DISCORD_SHARD_IDS: shard 1 does not exist among 1 shard: the only shard is 0 (DISCORD_SHARD_COUNT)",
    ]);
    // Discord's count is known only at start: checked then (test/discord/shards.test.ts).
    expect(problemsOf({ DISCORD_SHARD_COUNT: "auto", DISCORD_SHARD_IDS: "40" })).toEqual([]);
  });
});
