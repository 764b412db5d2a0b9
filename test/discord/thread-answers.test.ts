import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Spend } from "../../src/budget/ledger.js";
import type { FakeMessage } from "../fakes/discord/fake.js";
import { customIds } from "../helpers/discord-result.js";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-thread-answers");
});
afterAll(() => bot.close());

const jobIdOf = (message: FakeMessage) => /job `([^`]+)`/.exec(message.content)?.[1] ?? "";
const responsesPosts = () =>
  bot.openai.requests
    .filter((request) => request.method === "POST" && request.path === "/v1/responses")
    .map(
      (request) =>
        request.json as {
          previous_response_id?: string;
          tool_choice?: unknown;
          tools?: Array<Record<string, unknown>>;
        },
    );
const turnsOf = (threadId: string) =>
  bot.running.context.threads.turns({
    platform: "discord",
    workspace: bot.discord.guildId,
    thread: threadId,
  });
const spentToday = () =>
  bot.running.context.budget.spent({ kind: "user", id: `discord:${bot.discord.user.id}` }, "day");
/** The bot's status reply to a message, while it is still in progress. */
const statusOf = (message: FakeMessage) =>
  [...bot.discord.world.messages.values()].find(
    (candidate) =>
      candidate.author.id === bot.discord.botUser.id &&
      candidate.message_reference?.message_id === message.id,
  );

/** A result with a refinement thread opened on it: the thread's id. */
async function refinementThread(prompt: string): Promise<string> {
  const seed = await bot.finalReply(await bot.discord.slash("imagine", { prompt, partials: 0 }));
  const click = await bot.discord.click(seed, `refine:${jobIdOf(seed)}`);
  await waitFor("the refine answer", () => click.callbackType);
  return seed.id;
}

describe("a question in a refinement thread", () => {
  it("is answered in words, streamed in place, chained, priced, without image buttons; the next turn draws from the last image", async () => {
    const threadId = await refinementThread("a lighthouse at dusk");
    bot.openai.reset();
    const night = await bot.discord.say({ channelId: threadId, content: "make it night", mention: true });
    const drawn = await botReplyTo(bot, night);
    expect(drawn.attachments).toHaveLength(1);

    // The answer's last words wait until its first words are on the screen: the text streams in place.
    const before = await spentToday();
    let whileRunning: Spend | undefined;
    let question: FakeMessage | undefined;
    bot.openai.pace(async (event) => {
      if (event !== "response.output_text.done" || question === undefined) return;
      whileRunning = await spentToday();
      await waitFor("the answer streaming", () =>
        statusOf(question as FakeMessage)?.content.includes("Turn 2 answer"),
      );
    });
    question = await bot.discord.say({
      channelId: threadId,
      content: "what colour is the sky?",
      mention: true,
    });
    const answer = await botReplyTo(bot, question);
    bot.openai.pace(undefined);

    expect(answer.attachments).toEqual([]);
    expect(answer.content).toMatch(/^Turn 2 answer: you asked "what colour is the sky\?"/);
    expect(answer.content).toMatch(/answer · job `[^`]+` · (<)?\$\d/);
    const streamed = answer.history.filter(
      (version) => version.content.includes("🎨") && version.content.includes("Turn 2 answer"),
    );
    expect(streamed.length).toBeGreaterThan(0);
    // Only what needs no image: Details and Delete, no Re-roll, Vary, Finalize or Edit.
    const jobId = jobIdOf(answer);
    expect(customIds(answer.components).sort()).toEqual([`delete:${jobId}`, `details:${jobId}`]);

    const [, asked] = responsesPosts();
    expect(asked?.tool_choice).toBe("auto");
    expect(asked?.tools?.[0]).toMatchObject({ type: "image_generation", action: "auto" });
    // The turn learns its message's id once the message is delivered, just after it shows.
    const turns = await waitFor("the answer's turn with its message", async () => {
      const all = await turnsOf(threadId);
      return all[1]?.messageId === undefined ? undefined : all;
    });
    expect(turns).toHaveLength(2);
    expect(asked?.previous_response_id).toBe(turns[0]?.responseId);
    expect(turns[1]).toMatchObject({ jobId, imageKeys: [], messageId: answer.id });
    const metadata = await bot.running.context.runs.getMetadata(jobId);
    expect(metadata).toMatchObject({ status: "completed", answered: true, finals: [] });
    expect(metadata.cost?.microdollars).toBeGreaterThan(0);
    // The model might have drawn: an image was reserved; what was used (words only) is what is charged.
    expect(whileRunning?.images).toBe(before.images + 1);
    expect(whileRunning?.micro ?? 0).toBeGreaterThan(before.micro + (metadata.cost?.microdollars ?? 0));
    expect(await spentToday()).toEqual({
      micro: before.micro + (metadata.cost?.microdollars ?? 0),
      images: before.images,
    });

    // The next change continues from the answer's turn and still edits the last image.
    const stars = await bot.discord.say({ channelId: threadId, content: "add stars", mention: true });
    const starred = await botReplyTo(bot, stars);
    expect(starred.attachments).toHaveLength(1);
    expect(responsesPosts()[2]?.previous_response_id).toBe(turns[1]?.responseId);
    expect(starred.content).toContain(
      "Revised prompt:** Turn 3: make it night | then: what colour is the sky? | then: add stars",
    );
  });

  it("keeps the model's text streaming after a partial frame is shown", async () => {
    const threadId = await refinementThread("a red barn");
    bot.openai.reset();
    let turn: FakeMessage | undefined;
    const status = () => (turn === undefined ? undefined : statusOf(turn));
    const frameShown = () =>
      status()?.history.some((v) => v.attachments.some((name) => name.startsWith("partial_")));
    bot.openai.pace(async (event) => {
      if (turn === undefined) return;
      // The text starts only once the frame is on the screen; it ends only once the text shows beside it.
      if (event === "response.output_text.delta") await waitFor("the frame shown", frameShown);
      if (event === "response.output_text.done") {
        await waitFor("the text shown with the frame", () =>
          status()?.history.some(
            (v) =>
              v.attachments.some((name) => name.startsWith("partial_")) &&
              v.content.includes("Here is your image"),
          ),
        );
      }
    });
    turn = await bot.discord.say({ channelId: threadId, content: "paint it blue", mention: true });
    const done = await botReplyTo(bot, turn);
    bot.openai.pace(undefined);
    expect(done.attachments).toHaveLength(1);
    const withFrameAndText = done.history.find(
      (v) =>
        v.attachments.some((name) => name.startsWith("partial_")) && v.content.includes("Here is your image"),
    );
    expect(withFrameAndText?.content).toContain("Drawing… (partial");
  });
});

describe("a thread whose history was forgotten", () => {
  it("answers any message there with one sentence and spends nothing", async () => {
    const threadId = await refinementThread("a cabin in the woods");
    const first = await bot.discord.say({ channelId: threadId, content: "make it snow", mention: true });
    await botReplyTo(bot, first);
    const forget = await bot.discord.slash("forget", {}, bot.discord.user, threadId);
    await waitFor(
      "the forget answer",
      () => bot.discord.original(forget)?.content || forget.callbackData?.content,
    );
    await waitFor("the thread forgotten", async () => (await turnsOf(threadId)).length === 0);
    const before = bot.openai.requests.length;
    const spentBefore = await spentToday();

    for (const content of ["what did you change?", "add a moon"]) {
      const asked = await bot.discord.say({ channelId: threadId, content, mention: true });
      const reply = await botReplyTo(bot, asked);
      expect(reply.content).toBe(
        "⚠️ This thread's history was forgotten, so I can't continue it: start again with /imagine.",
      );
    }
    expect(bot.openai.requests.length).toBe(before);
    expect(await spentToday()).toEqual(spentBefore);
  });
});
