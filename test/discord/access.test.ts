import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeInteraction, FakeMessage } from "../fakes/discord/fake.js";
import { snowflake } from "../fakes/discord/snowflake.js";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
/** A channel of the guild that is not on DISCORD_ALLOWED_CHANNELS. */
let elsewhere: string;

beforeAll(async () => {
  bot = await startDiscordBot("discord-access", {
    env: (discord) => {
      elsewhere = snowflake();
      discord.world.channels.set(elsewhere, {
        id: elsewhere,
        type: 0,
        guild_id: discord.guildId,
        name: "random",
        position: 1,
        permission_overwrites: [],
      });
      // Alice holds the allowed role; Bob, in the same guild and channel, does not.
      const artists = discord.world.addRole("artists", [discord.user]);
      return {
        DISCORD_ALLOWED_GUILDS: discord.guildId,
        DISCORD_ALLOWED_CHANNELS: discord.channelId,
        DISCORD_ALLOWED_ROLES: artists,
      };
    },
  });
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

/** The private answer an interaction got straight away (type 4, ephemeral): no deferral, so nothing started. */
async function privateAnswer(interaction: FakeInteraction): Promise<string> {
  await waitFor("the answer", () => interaction.callbackType);
  expect(interaction.callbackType).toBe(4);
  expect(interaction.callbackData?.flags).toBe(64);
  return String(interaction.callbackData?.content);
}

async function nothingQueued(): Promise<void> {
  const counts = await bot.running.context.queues
    .forKind("discord")
    .getJobCounts("waiting", "active", "delayed", "prioritized");
  expect(Object.values(counts).every((count) => count === 0)).toBe(true);
}

describe("Discord access lists (guilds, channels, roles)", () => {
  let result: FakeMessage;

  it("a person with an allowed role, in an allowed channel, gets the image", async () => {
    result = await bot.finalReply(await bot.discord.slash("imagine", { prompt: "a kite", partials: 0 }));
    expect(bot.openai.requests).toHaveLength(1);
  });

  it("a refinement thread counts as its parent channel: a turn there is allowed", async () => {
    const jobId = /job `([^`]+)`/.exec(result.content)?.[1];
    const click = await bot.discord.click(result, `refine:${jobId}`);
    await waitFor("the refine answer", () => click.callbackType);
    const thread = bot.discord.world.channels.get(result.id);
    expect(thread?.parent_id).toBe(bot.discord.channelId);
    const turn = await bot.discord.say({ channelId: result.id, content: "make it night", mention: true });
    const reply = await botReplyTo(bot, turn);
    expect(reply.content).not.toMatch(/^⚠️/);
    expect(bot.openai.requests.at(-1)?.path).toBe("/v1/responses");
  });

  it("someone without an allowed role is told privately, for a command and a button; nothing is queued or sent", async () => {
    const command = await bot.discord.slash("imagine", { prompt: "a kite" }, bot.discord.otherUser);
    expect(await privateAnswer(command)).toBe(
      "⚠️ imagine is only for members with an allowed role here; ask an admin for one.",
    );
    const jobId = /job `([^`]+)`/.exec(result.content)?.[1];
    const click = await bot.discord.click(result, `reroll:${jobId}`, bot.discord.otherUser);
    expect(await privateAnswer(click)).toMatch(/only for members with an allowed role/);
    // `/show` posts in the channel: listed like a request.
    const show = await bot.discord.slash("show", { job: jobId ?? "" }, bot.discord.otherUser);
    expect(await privateAnswer(show)).toMatch(/only for members with an allowed role/);
    await nothingQueued();
    expect(bot.openai.requests).toHaveLength(0);
  });

  it("in a channel not on the list, Edit image is refused privately and a mention is ignored", async () => {
    const picture = await bot.discord.say({
      channelId: elsewhere,
      files: [{ filename: "cat.png", bytes: await solidPng(64, 64, "#884422") }],
    });
    const editImage = await bot.discord.messageCommand("Edit image", picture);
    expect(await privateAnswer(editImage)).toBe("⚠️ imagine isn't enabled in this channel.");

    await bot.discord.say({
      channelId: elsewhere,
      content: "make it blue",
      mention: true,
      replyTo: picture,
    });
    // The barrier: a command sent after the mention; once its result is in, whatever the mention set off would be.
    await bot.finalReply(await bot.discord.slash("imagine", { prompt: "a boat", partials: 0 }));
    expect(bot.openai.requests).toHaveLength(1);
    // Only the private answer to Edit image is there: nothing public, nothing in answer to the mention.
    const inElsewhere = [...bot.discord.world.messages.values()].filter(
      (message) =>
        message.channel_id === elsewhere &&
        message.author.id === bot.discord.botUser.id &&
        (message.flags & 64) === 0,
    );
    expect(inElsewhere).toEqual([]);
  });
});

describe("Discord's guild list", () => {
  let other: DiscordBot;
  beforeAll(async () => {
    other = await startDiscordBot("discord-access-guilds", { env: { DISCORD_ALLOWED_GUILDS: snowflake() } });
  });
  afterAll(() => other.close());

  it("a server not on DISCORD_ALLOWED_GUILDS is told privately at once; nothing is queued or sent", async () => {
    const command = await other.discord.slash("imagine", { prompt: "a kite" });
    await waitFor("the answer", () => command.callbackType);
    expect(command.callbackType).toBe(4);
    expect(command.callbackData?.flags).toBe(64);
    expect(command.callbackData?.content).toBe("⚠️ imagine isn't enabled here.");
    const counts = await other.running.context.queues
      .forKind("discord")
      .getJobCounts("waiting", "active", "delayed");
    expect(Object.values(counts).every((count) => count === 0)).toBe(true);
    expect(other.openai.requests).toHaveLength(0);
  });
});
