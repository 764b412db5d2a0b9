import type { Client } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiscordConfig, DiscordShards } from "../../src/config/types.js";
import { connect, createClient } from "../../src/platforms/discord/client.js";
import { createRest } from "../../src/platforms/discord/rest.js";
import { allShardsReady, describeShards, planShards } from "../../src/platforms/discord/shards.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";
import { testDiscordConfig } from "../helpers/discord-config.js";

let fake: FakeDiscord;
const clients: Client[] = [];
beforeAll(async () => {
  fake = await startFakeDiscord({ shards: { recommended: 3 } });
});
afterAll(async () => {
  for (const client of clients) await client.destroy();
  await fake.close();
});

const config = (shards: DiscordShards): DiscordConfig => testDiscordConfig(fake, { shards });

/** The bot's own start-up steps: plan the shards, make the client, connect. */
async function start(shards: DiscordShards): Promise<Client> {
  const discord = config(shards);
  const plan = await planShards(discord.shards, createRest(discord));
  const client = createClient(discord, plan);
  clients.push(client);
  await connect(client, discord, 10_000, plan);
  return client;
}

describe("the bot's gateway shards", () => {
  it("takes all shards of a count, or Discord's recommendation for auto, and names them", async () => {
    const rest = createRest(config({ count: 1, ids: undefined }));
    expect(await planShards({ count: 4, ids: undefined }, rest)).toEqual({ count: 4, ids: [0, 1, 2, 3] });
    const auto = await planShards({ count: "auto", ids: [2] }, rest);
    expect(auto).toEqual({ count: 3, ids: [2] });
    expect(describeShards(auto)).toBe("shard 2 of 3");
    expect(describeShards({ count: 4, ids: [2, 3] })).toBe("shards 2, 3 of 4");
  });

  it("refuses at start ids beyond the count Discord recommends, naming both variables", async () => {
    const rest = createRest(config({ count: 1, ids: undefined }));
    await expect(planShards({ count: "auto", ids: [1, 3] }, rest)).rejects.toThrow(
      "DISCORD_SHARD_IDS: shard 3 does not exist among 3 shards: shard ids run from 0 to 2, the count Discord recommends (DISCORD_SHARD_COUNT=auto)",
    );
  });

  it("is ready once its shards are and not once Discord closes one; a second process on one is refused in one sentence", async () => {
    const first = await start({ count: "auto", ids: [0, 1] });
    expect(allShardsReady(first)).toBe(true);
    expect(fake.gateway.shards).toEqual([
      [0, 3],
      [1, 3],
    ]);
    await expect(start({ count: 3, ids: [1, 2] })).rejects.toThrow(
      "Discord refused shard 1 of 3 (4010 Invalid shard): another bot process already runs it, or the processes disagree on DISCORD_SHARD_COUNT; give every process the same count and shards of its own (DISCORD_SHARD_IDS).",
    );
    // The refused process let go of whatever it had connected.
    await fake.waitFor(() => fake.gateway.shards.length === 2, 10_000, "the refused process gone");
    expect(allShardsReady(first)).toBe(true);
    // Discord closing one of its shards for good: the process is no longer ready, though still logged in.
    fake.gateway.closeShard([1, 3], 4010, "Invalid shard.");
    await fake.waitFor(() => !allShardsReady(first), 10_000, "shard 1 seen lost");
    expect(first.isReady()).toBe(true);
  });

  it("names DISCORD_SHARD_COUNT when Discord requires more shards (4011)", async () => {
    fake.world.requiredShards = 2;
    try {
      await expect(start({ count: 1, ids: undefined })).rejects.toThrow(
        "Discord refused shard 0 of 1 (4011 Sharding required): the bot is in too many servers for 1 shard; raise DISCORD_SHARD_COUNT or set it to auto.",
      );
    } finally {
      fake.world.requiredShards = undefined;
    }
  });
});
