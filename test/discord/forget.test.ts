import { access } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeInteraction, FakeMessage } from "../fakes/discord/fake.js";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-forget");
  // Not the requester, and no Manage Server permission.
  bot.discord.world.memberPermissions.set(bot.discord.otherUser.id, "0");
});
afterAll(() => bot.close());
beforeEach(() => bot.idle());

const jobIdOf = (message: FakeMessage) => /job `([^`]+)`/.exec(message.content)?.[1] ?? "";
const folderExists = (runId: string) =>
  access(join(bot.storageDir, runId)).then(
    () => true,
    () => false,
  );
const deleted = () =>
  bot.openai.requests.filter((request) => request.method === "DELETE").map((request) => request.path);
const responsesPosts = () =>
  bot.openai.requests
    .filter((request) => request.method === "POST" && request.path === "/v1/responses")
    .map((request) => request.json as { previous_response_id?: string });
const chainOf = (threadId: string) =>
  bot.running.context.threads.turns({
    platform: "discord",
    workspace: bot.discord.guildId,
    thread: threadId,
  });
const responseOf = async (runId: string) => (await bot.running.context.runs.getMetadata(runId)).responseId;

/** What the person was told privately: the reply, the deferred reply edited, or a follow-up. */
const privateAnswer = (interaction: FakeInteraction) =>
  waitFor("the private answer", () => {
    const texts = [
      interaction.callbackData?.content,
      bot.discord.original(interaction)?.content,
      ...interaction.followupIds.map((id) => bot.discord.message(id).content),
    ];
    return texts.find((text): text is string => typeof text === "string" && text !== "");
  });

/** A result, a refinement thread on it, and two turns there: the thread's id and the turns' replies. */
async function threadWithTwoTurns(prompt: string) {
  const seed = await bot.finalReply(await bot.discord.slash("imagine", { prompt, partials: 0 }));
  const click = await bot.discord.click(seed, `refine:${jobIdOf(seed)}`);
  await waitFor("the refine answer", () => click.callbackType);
  const threadId = seed.id;
  const turn = async (content: string) =>
    botReplyTo(bot, await bot.discord.say({ channelId: threadId, content, mention: true }));
  return { seed, threadId, first: await turn("make it night"), second: await turn("add stars") };
}

describe("/forget in a refinement thread", () => {
  it("is refused to someone else; the owner's removes the folders, the chain and both stored responses", async () => {
    const { seed, threadId, first, second } = await threadWithTwoTurns("a cabin by a lake");
    const runIds = [jobIdOf(first), jobIdOf(second)];
    const responseIds = await Promise.all(runIds.map(responseOf));
    expect(responseIds).toEqual([expect.stringMatching(/^resp_/), expect.stringMatching(/^resp_/)]);

    const refused = await bot.discord.slash("forget", {}, bot.discord.otherUser, threadId);
    expect(await privateAnswer(refused)).toBe(
      `Only <@${bot.discord.user.id}>, who started this thread, or a server admin can forget it.`,
    );
    expect(refused.callbackData?.flags).toBe(64);
    expect(deleted()).toEqual([]);
    expect(await chainOf(threadId)).toHaveLength(2);
    for (const runId of runIds) expect(await folderExists(runId)).toBe(true);

    const forget = await bot.discord.slash("forget", {}, bot.discord.user, threadId);
    expect(await privateAnswer(forget)).toBe(
      "Deleted: 2 images, 2 stored OpenAI responses, this thread's history. The messages stay in the thread: Delete under a result removes it too.",
    );
    expect(deleted().sort()).toEqual(responseIds.map((id) => `/v1/responses/${id}`).sort());
    for (const runId of runIds) expect(await folderExists(runId)).toBe(false);
    expect(await chainOf(threadId)).toEqual([]);
    // The result the thread was opened on is not part of the thread's history.
    expect(await folderExists(jobIdOf(seed))).toBe(true);

    // A message there cannot continue what was forgotten: it gets a sentence, and nothing is asked of OpenAI.
    const before = responsesPosts().length;
    const reply = await botReplyTo(
      bot,
      await bot.discord.say({ channelId: threadId, content: "add a moon", mention: true }),
    );
    expect(reply.content).toBe(
      "⚠️ This thread's history was forgotten, so I can't continue it: start again with /imagine.",
    );
    expect(responsesPosts()).toHaveLength(before);
  });

  it("outside a refinement thread finds nothing to forget", async () => {
    const forget = await bot.discord.slash("forget");
    expect(await privateAnswer(forget)).toBe(
      "There is nothing to forget here: use /forget inside a refinement thread that has results.",
    );
  });
});

describe("Delete under a result in a thread", () => {
  it("is refused to someone else; the requester's removes that result's folder, response and turn only", async () => {
    const { threadId, first, second } = await threadWithTwoTurns("a red barn");
    const runId = jobIdOf(second);
    const responseId = await responseOf(runId);
    bot.openai.requests.length = 0;

    const refused = await bot.discord.click(second, `delete:${runId}`, bot.discord.otherUser);
    expect(await privateAnswer(refused)).toBe("Only the person who asked for this image can delete it.");
    expect(bot.discord.message(second.id).deleted).toBeFalsy();
    expect(await folderExists(runId)).toBe(true);
    expect(deleted()).toEqual([]);

    const click = await bot.discord.click(second, `delete:${runId}`);
    await waitFor("the message deleted", () => bot.discord.message(second.id).deleted);
    // The click's own message is gone: the answer is a private follow-up.
    const answer = await waitFor("the follow-up", () => click.followupIds[0]);
    expect(bot.discord.message(answer).content).toBe(
      "Deleted: 1 image, 1 stored OpenAI response, its turn in the thread's history.",
    );
    expect(bot.discord.message(answer).flags).toBe(64);
    expect(deleted()).toEqual([`/v1/responses/${responseId}`]);
    expect(await folderExists(runId)).toBe(false);
    expect((await chainOf(threadId)).map((turn) => turn.jobId)).toEqual([jobIdOf(first)]);
    expect(bot.discord.message(first.id).deleted).toBeFalsy();
    expect(await folderExists(jobIdOf(first))).toBe(true);
  });
});

describe("a refinement thread whose first result was deleted", () => {
  it("answers a new turn with a sentence, not a failure", async () => {
    const seed = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "a lone pine", partials: 0 }),
    );
    const runId = jobIdOf(seed);
    const refine = await bot.discord.click(seed, `refine:${runId}`);
    await waitFor("the refine answer", () => refine.callbackType);
    const remove = await bot.discord.click(seed, `delete:${runId}`);
    await waitFor("the deletion's answer", () => remove.followupIds[0]);
    bot.openai.requests.length = 0;

    const reply = await botReplyTo(
      bot,
      await bot.discord.say({ channelId: seed.id, content: "make it snow", mention: true }),
    );
    expect(reply.content).toBe(
      "⚠️ The result this thread refines was deleted; start a new one with /imagine.",
    );
    expect(bot.openai.requests).toEqual([]);
  });
});
