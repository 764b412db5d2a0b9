import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/discord/fake.js";
import { showEachPartial } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
let result: FakeMessage;
beforeAll(async () => {
  bot = await startDiscordBot("discord-threads");
  const interaction = await bot.discord.slash("imagine", { prompt: "a cabin by a lake", partials: 0 });
  result = await bot.finalReply(interaction);
});
afterAll(() => bot.close());

const responsesRequests = () =>
  bot.openai.requests
    .filter((request) => request.method === "POST" && request.path === "/v1/responses")
    .map((request) => request.json as { previous_response_id?: string; input?: unknown });
const jobIdOf = (message: FakeMessage) => /job `([^`]+)`/.exec(message.content)?.[1] ?? "";
/** Partial frames the bot has shown in a channel, over all its messages there. */
const framesShownIn = (channelId: string) =>
  [...bot.discord.world.messages.values()]
    .filter((message) => message.channel_id === channelId && message.author.id === bot.discord.botUser.id)
    .flatMap((message) => message.history)
    .filter((version) => version.attachments.some((name) => name.startsWith("partial_"))).length;

describe("refinement in a thread", () => {
  it("chains turns by previous_response_id and branches from an older turn when replying to it", async () => {
    const jobId = /job `([^`]+)`/.exec(result.content)?.[1] ?? "";
    const click = await bot.discord.click(result, `refine:${jobId}`);
    await waitFor("refine answer", () => click.callbackType);
    expect(click.callbackData?.flags).toBe(64);
    const thread = bot.discord.world.channels.get(result.id);
    expect(thread?.type).toBe(11);
    const threadId = thread?.id ?? "";
    bot.openai.reset();
    // Edits are coalesced (the newest frame wins): each partial is sent once the ones before it are shown.
    showEachPartial(bot.openai, () => framesShownIn(threadId));

    const first = await bot.discord.say({ channelId: threadId, content: "make it night", mention: true });
    const firstReply = await botReplyTo(bot, first);
    expect(firstReply.channel_id).toBe(threadId);
    expect(firstReply.attachments).toHaveLength(1);
    // Partials are edited in place in the thread reply, and the model's text is shown with the result.
    expect(firstReply.history.some((version) => version.attachments[0]?.startsWith("partial_"))).toBe(true);
    expect(firstReply.content).toContain("**Model says:** Here is your image");
    const second = await bot.discord.say({ channelId: threadId, content: "add stars", mention: true });
    await botReplyTo(bot, second);
    const branch = await bot.discord.say({
      channelId: threadId,
      content: "make it winter",
      replyTo: firstReply,
      mention: true,
    });
    await botReplyTo(bot, branch);

    const [turn1, turn2, turn3] = responsesRequests();
    // The first turn starts from the result image; later turns continue the chain.
    expect(turn1?.previous_response_id).toBeUndefined();
    expect(JSON.stringify(turn1?.input)).toContain("input_image");
    expect(turn2?.previous_response_id).toMatch(/^resp_/);
    // Replying to the first result branches from it: same parent as turn 2, not turn 2 itself.
    expect(turn3?.previous_response_id).toBe(turn2?.previous_response_id);
    const turns = await bot.running.context.threads.turns({
      platform: "discord",
      workspace: bot.discord.guildId,
      thread: threadId,
    });
    expect(turns).toHaveLength(3);
    expect(turns[0]?.messageId).toBe(firstReply.id);
    expect(turns[2]?.parentJobId).toBe(turns[0]?.jobId);
  });
});

describe("re-roll in a thread", () => {
  it("redoes exactly that turn, from that turn's parent: the first turn from no response, not the newest", async () => {
    const interaction = await bot.discord.slash("imagine", { prompt: "a red barn", partials: 0 });
    const seed = await bot.finalReply(interaction);
    const click = await bot.discord.click(seed, `refine:${jobIdOf(seed)}`);
    await waitFor("refine answer", () => click.callbackType);
    const threadId = seed.id;
    bot.openai.reset();

    const night = await bot.discord.say({ channelId: threadId, content: "make it night", mention: true });
    const turn1 = await botReplyTo(bot, night);
    const snow = await bot.discord.say({ channelId: threadId, content: "add snow", mention: true });
    await botReplyTo(bot, snow);
    const [first] = responsesRequests();

    const redoFirst = await bot.discord.click(turn1, `reroll:${jobIdOf(turn1)}`);
    await bot.finalReply(redoFirst);
    const redone = responsesRequests()[2];
    expect(redone).toBeDefined();
    expect(redone).not.toHaveProperty("previous_response_id");
    // Turn 1 again: its prompt and the result image it refined, nothing of the later turns.
    expect(redone?.input).toEqual(first?.input);
    expect(JSON.stringify(redone?.input)).not.toMatch(/add snow/);

    const turn2 = await botReplyTo(bot, snow);
    const redoSecond = await bot.discord.click(turn2, `reroll:${jobIdOf(turn2)}`);
    await bot.finalReply(redoSecond);
    const turn1Response = (await bot.running.context.runs.getMetadata(jobIdOf(turn1))).responseId;
    expect(responsesRequests()[3]?.previous_response_id).toBe(turn1Response);
    expect(JSON.stringify(responsesRequests()[3]?.input)).toContain("add snow");
  });
});
