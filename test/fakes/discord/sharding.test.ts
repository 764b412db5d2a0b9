import { once } from "node:events";
import { Client, Events, GatewayIntentBits, type Interaction } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { waitFor } from "../../helpers/wait-for.js";
import { type FakeDiscord, startFakeDiscord } from "./fake.js";
import { CLOSE } from "./gateway.js";
import { shardOf, snowflakeOnShard } from "./snowflake.js";

const COUNT = 4;
let fake: FakeDiscord;
/** Guild ids by the shard they land on. */
const guildOn: string[] = [];
const clients: Client[] = [];

/** A discord.js client on `shards` of COUNT (or `auto`), with what it received. */
async function connect(shards: number[]): Promise<{ client: Client; seen: Interaction[] }> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: fake.url },
    shards,
    shardCount: COUNT,
  });
  clients.push(client);
  const seen: Interaction[] = [];
  client.on(Events.InteractionCreate, (interaction) => {
    seen.push(interaction);
  });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return { client, seen };
}

beforeAll(async () => {
  fake = await startFakeDiscord({ shards: { recommended: COUNT, required: 2 } });
  for (let shard = 0; shard < COUNT; shard += 1) {
    const onMain = shardOf(fake.guildId, COUNT) === shard;
    guildOn.push(onMain ? fake.guildId : fake.addGuild({ shard, count: COUNT }).id);
  }
});

afterAll(async () => {
  for (const client of clients) await client.destroy();
  await fake.close();
});

/** Raw IDENTIFY on a socket of its own; resolves with the close code the fake answers with. */
async function identifyRaw(shard: unknown, times = 1): Promise<number> {
  const socket = new WebSocket(`${fake.origin.replace(/^http/, "ws")}/gateway`);
  await once(socket, "message");
  for (let i = 0; i < times; i += 1)
    socket.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {}, shard } }));
  const [code] = (await once(socket, "close")) as [number];
  return code;
}

describe("the fake Discord shards its gateway as Discord does", () => {
  it("places guilds by (guild_id >> 22) % count on the full 64-bit id", () => {
    for (let shard = 0; shard < 7; shard += 1) {
      const id = snowflakeOnShard(shard, 7);
      expect(Number((BigInt(id) >> 22n) % 7n)).toBe(shard);
      expect(BigInt(id)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    }
  });

  it("recommends its shard count, and gives each process only its shards' guilds, DMs on shard 0", async () => {
    const first = await connect([0, 1]);
    const second = await connect([2, 3]);
    await fake.waitForBot(COUNT);
    expect(fake.world.requests.some((request) => request.path.endsWith("/gateway/bot"))).toBe(true);
    expect(fake.gateway.shards).toEqual([
      [0, COUNT],
      [1, COUNT],
      [2, COUNT],
      [3, COUNT],
    ]);
    expect([...first.client.guilds.cache.keys()].sort()).toEqual([guildOn[0], guildOn[1]].sort());
    expect([...second.client.guilds.cache.keys()].sort()).toEqual([guildOn[2], guildOn[3]].sort());

    for (const [shard, guildId] of guildOn.entries()) {
      const channelId = fake.world.guilds.get(guildId ?? "")?.channelId;
      const sent = await fake.slash("imagine", { prompt: `on shard ${shard}` }, fake.user, channelId);
      const owner = shard < 2 ? first : second;
      const got = await waitFor(`the interaction on shard ${shard}`, () =>
        owner.seen.find((interaction) => interaction.id === sent.id),
      );
      expect(got.guild?.shardId).toBe(shard);
    }
    const dm = await fake.slashInDm("imagine", { prompt: "in a DM" });
    await waitFor("the DM on shard 0", () => first.seen.find((interaction) => interaction.id === dm.id));
    // Every event of the first process came before the DM: the other process got none of them.
    expect(second.seen.map((interaction) => interaction.guildId)).toEqual([guildOn[2], guildOn[3]]);
    expect(first.seen.map((interaction) => interaction.guildId)).toEqual([guildOn[0], guildOn[1], null]);
  });

  it("refuses a second session for a shard already connected with 4010, which discord.js takes as final", async () => {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: fake.url },
      shards: [1],
      shardCount: COUNT,
    });
    clients.push(client);
    const errors: string[] = [];
    client.on(Events.ShardError, (error, shardId) => errors.push(`${shardId}: ${error.message}`));
    const disconnected = once(client, Events.ShardDisconnect) as Promise<[{ code: number }, number]>;
    await client.login(fake.token).catch(() => undefined);
    const [event, shardId] = await disconnected;
    expect([event.code, shardId]).toEqual([CLOSE.invalidShard, 1]);
    expect(errors).toEqual(["1: Invalid shard"]);
    expect(fake.gateway.refused.at(-1)).toMatchObject({ code: 4010, shard: [1, COUNT] });
    // The first session of shard 1 still gets its guild's events.
    expect(fake.gateway.shards).toHaveLength(COUNT);
  });

  it("closes a shard outside its count with 4010, too few shards with 4011, a second IDENTIFY with 4005", async () => {
    expect(await identifyRaw([4, 4])).toBe(CLOSE.invalidShard);
    expect(await identifyRaw([0, 0])).toBe(CLOSE.invalidShard);
    expect(await identifyRaw("0,1")).toBe(CLOSE.invalidShard);
    expect(await identifyRaw([0, 1])).toBe(CLOSE.shardingRequired);
    expect(await identifyRaw([5, 6], 2)).toBe(CLOSE.alreadyAuthenticated);
  });
});
