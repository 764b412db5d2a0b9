import { mkdir, rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { FakeInteraction, FakeMessage, FakeUser } from "../fakes/discord/fake.js";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, startDiscordBot } from "./harness.js";

const EPHEMERAL = 64;
const INTERNAL = /Something went wrong on our side/;

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-handler-failures");
});
afterAll(() => bot.close());

const jobIdOf = (message: FakeMessage) => /job `([^`]+)`/.exec(message.content)?.[1] ?? "";

/** The custom ids of a message's buttons. */
function customIds(message: FakeMessage): string[] {
  return (message.components as { components?: { custom_id?: string }[] }[]).flatMap((row) =>
    (row.components ?? []).map((button) => button.custom_id ?? ""),
  );
}

/** The first text only the person sees: an ephemeral reply, follow-up or edited ephemeral deferral. */
function privateAnswer(interaction: FakeInteraction): Promise<string> {
  return waitFor("a private answer", () => {
    const flags = Number(interaction.callbackData?.flags ?? 0);
    if (interaction.callbackType === 4 && (flags & EPHEMERAL) !== 0) {
      return String(interaction.callbackData?.content ?? "");
    }
    const messages = [...interaction.followupIds, interaction.originalId ?? ""].map((id) =>
      bot.discord.world.messages.get(id),
    );
    return messages.find((message) => message && (message.flags & EPHEMERAL) !== 0 && message.content)
      ?.content;
  });
}

async function imagine(prompt: string, by?: FakeUser): Promise<FakeMessage> {
  return bot.finalReply(await bot.discord.slash("imagine", { prompt, partials: 0 }, by));
}

/** Opens a refinement thread on a result, the way a person does. */
async function refineThread(result: FakeMessage): Promise<string> {
  const click = await bot.discord.click(result, `refine:${jobIdOf(result)}`);
  await privateAnswer(click);
  const thread = bot.discord.world.channels.get(result.id);
  expect(thread?.type).toBe(11);
  return thread?.id ?? "";
}

const errorLogged = (pattern: RegExp) =>
  waitFor("the error in the log", () =>
    bot.logs.find((line) => line.level >= 50 && pattern.test(String(line.err?.message))),
  );

describe("a result inside a thread", () => {
  it("offers no Refine button there, and an old Refine button there gets a private answer", async () => {
    const threadId = await refineThread(await imagine("a cabin by a lake"));
    const turn = await botReplyTo(
      bot,
      await bot.discord.say({ channelId: threadId, content: "make it night", mention: true }),
    );
    expect(turn.channel_id).toBe(threadId);
    expect(customIds(turn)).toContain(`reroll:${jobIdOf(turn)}`);
    expect(customIds(turn).some((id) => id.startsWith("refine:"))).toBe(false);

    // A button clicked inside the thread answers inside it, again without Refine.
    const reroll = await bot.finalReply(await bot.discord.click(turn, `reroll:${jobIdOf(turn)}`));
    expect(reroll.channel_id).toBe(threadId);
    expect(customIds(reroll).some((id) => id.startsWith("refine:"))).toBe(false);

    // A Refine button from before this change, on a result in the thread: Discord has no thread in a thread.
    const old = await bot.discord.click(turn, `refine:${jobIdOf(turn)}`);
    expect(await privateAnswer(old)).toMatch(/already in a thread/);
    expect([...bot.discord.world.channels.values()].filter((c) => c.parent_id === threadId)).toEqual([]);

    // Outside a thread the bot keeps working and still offers Refine.
    const next = await imagine("a lighthouse");
    expect(customIds(next)).toContain(`refine:${jobIdOf(next)}`);
  });
});

describe("a handler that fails", () => {
  it("withdraws the public reply it deferred, answers privately, logs the error and keeps serving", async () => {
    const person = bot.discord.otherUser;
    // A key of the wrong type makes the person's slot check fail inside Redis, after the reply was deferred.
    const slots = `${bot.config.queuePrefix}:limits:active:discord:${person.id}`;
    const redis = bot.running.context.redis;
    await redis.set(slots, "not a sorted set");
    // Put right even if an assertion below fails, so no other test meets the broken key.
    onTestFinished(() => redis.del(slots).then(() => undefined));
    const interaction = await bot.discord.slash("imagine", { prompt: "a kite", partials: 0 }, person);
    expect(await privateAnswer(interaction)).toMatch(INTERNAL);
    await errorLogged(/WRONGTYPE/);
    await waitFor("the withdrawn reply", () => bot.discord.original(interaction)?.deleted);

    await redis.del(slots);
    expect((await imagine("a kite", person)).content).toContain("a kite");
  });

  it("answers a malformed command privately and logs it", async () => {
    // `reset` is a boolean option; a string there makes discord.js throw while reading it.
    const interaction = await bot.discord.slash("settings", { reset: "yes" });
    expect(await privateAnswer(interaction)).toMatch(INTERNAL);
    await errorLogged(/reset/);
    expect((await imagine("a teapot")).content).toContain("a teapot");
  });

  it("answers a failed message in a reply to it, logs the error and keeps serving", async () => {
    const result = await imagine("a barn");
    const threadId = await refineThread(result);
    // The metadata of the run the thread refines is damaged (a folder where the file was): reading it fails
    // in the message handler. (A run deleted on purpose gets its own sentence: test/discord/forget.test.ts.)
    const metadataPath = bot.running.context.runs.locate(`${jobIdOf(result)}/metadata.json`);
    await rm(metadataPath, { force: true });
    await mkdir(metadataPath);
    const asked = await bot.discord.say({ channelId: threadId, content: "make it red", mention: true });
    const answer = await botReplyTo(bot, asked);
    expect(answer.content).toMatch(INTERNAL);
    await errorLogged(/EISDIR|illegal operation on a directory/);
    expect((await imagine("a windmill")).content).toContain("a windmill");
  });
});
