import { Worker } from "bullmq";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeInteraction, FakeMessage } from "../fakes/discord/fake.js";
import { customIds } from "../helpers/discord-result.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { testRedis } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  // One job at a time, so a second one waits; a budget, so a reservation is there to be refunded.
  bot = await startDiscordBot("discord-cancel", {
    env: { WORKER_CONCURRENCY: "1", BUDGET_USER_DAY_USD: "5" },
  });
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

const isCancel = (id: string) => id.startsWith("cancel:");
const cancelId = (message: FakeMessage | undefined) => customIds(message?.components ?? []).find(isCancel);
const runIdOf = (message: FakeMessage | undefined) => cancelId(message)?.slice("cancel:".length) ?? "";
const spentToday = (userId: string) =>
  bot.running.context.budget.spent({ kind: "user", id: `discord:${userId}` }, "day");

/** The reply once the worker shows its first partial: the stream to OpenAI is open and held. */
const drawing = (interaction: FakeInteraction) =>
  waitFor("the first partial", () => {
    const reply = bot.discord.original(interaction);
    return reply && reply.attachments.length > 0 && cancelId(reply) ? reply : undefined;
  });

describe("Cancel under a status", () => {
  it("aborts a running job's request to OpenAI, says Cancelled, refunds it and retries nothing", async () => {
    const hold = holdAfterPartials(bot.openai, 1);
    const asked = await bot.discord.slash("imagine", { prompt: "a slow heron", partials: 2, quality: "low" });
    const reply = await drawing(asked);
    const runId = runIdOf(reply);
    expect((await spentToday(bot.discord.user.id)).micro).toBeGreaterThan(0);

    const click = await bot.discord.click(reply, `cancel:${runId}`);
    await waitFor("Cancelled", () => bot.discord.original(asked)?.content.includes("Cancelled"));
    expect(click.callbackType).toBe(6);
    const shown = bot.discord.original(asked);
    expect(shown?.components).toEqual([]);
    expect(shown?.attachments).toEqual([]);
    await waitFor("the request aborted", () => bot.openai.requests[0]?.abortedByClient);
    await waitFor("the refund", async () => (await spentToday(bot.discord.user.id)).micro === 0);
    // The worker refunds before BullMQ records the end: wait for the job to leave "active".
    const state = await waitFor("the job's end", async () => {
      const now = await bot.running.context.queues.forKind("discord").getJobState(runId);
      return now === "active" ? undefined : now;
    });
    expect(state).toBe("failed");
    expect((await bot.running.context.queues.forKind("discord").getJob(runId))?.attemptsMade).toBe(1);

    hold.release();
    bot.openai.pace(undefined);
    // The worker is free again, and nothing of the cancelled job is sent a second time.
    await bot.finalReply(await bot.discord.slash("imagine", { prompt: "a quick wren", partials: 0 }));
    expect(bot.openai.requests.map((request) => (request.json as { prompt: string }).prompt)).toEqual([
      "a slow heron",
      "a quick wren",
    ]);
  });

  it("removes a waiting job before it reaches OpenAI; someone else's click is refused", async () => {
    const before = (await spentToday(bot.discord.user.id)).micro;
    const hold = holdAfterPartials(bot.openai, 0);
    const first = await bot.discord.slash("imagine", { prompt: "a first crane", partials: 1 });
    await waitFor("the first job at OpenAI", () => bot.openai.requests.length === 1);
    const second = await bot.discord.slash("imagine", { prompt: "a second crane", quality: "low" });
    const waiting = await waitFor("the second job's status", () => {
      const reply = bot.discord.original(second);
      return reply?.content.includes("Queued") && cancelId(reply) ? reply : undefined;
    });
    const runId = runIdOf(waiting);
    // The status is posted just before the job is queued: click once it is.
    await waitFor("the second job queued", () => bot.running.context.queues.forKind("discord").getJob(runId));

    // Not the requester, and no Manage Server permission.
    bot.discord.world.memberPermissions.set(bot.discord.otherUser.id, "0");
    const refused = await bot.discord.click(waiting, `cancel:${runId}`, bot.discord.otherUser);
    await waitFor("the refusal", () => refused.callbackType);
    expect(refused.callbackData?.flags).toBe(64);
    expect(String(refused.callbackData?.content)).toContain(`Only <@${bot.discord.user.id}>`);
    expect(await bot.running.context.queues.forKind("discord").getJob(runId)).toBeDefined();

    const click = await bot.discord.click(waiting, `cancel:${runId}`);
    await waitFor("Cancelled", () => bot.discord.original(second)?.content.includes("Cancelled"));
    expect(click.callbackType).toBe(7);
    expect(bot.discord.original(second)?.components).toEqual([]);
    expect(await bot.running.context.queues.forKind("discord").getJob(runId)).toBeUndefined();

    const late = await bot.discord.click(waiting, `cancel:${runId}`);
    await waitFor("the late answer", () => late.callbackType);
    expect(String(late.callbackData?.content)).toBe("That request has already finished.");

    hold.release();
    bot.openai.pace(undefined);
    const result = await bot.finalReply(first);
    await bot.idle();
    expect(bot.openai.requests).toHaveLength(1);
    // What is left counted is the first job's real cost: the second's reservation was given back.
    const firstRun = /job `([^`]+)`/.exec(result.content)?.[1] ?? "";
    const metadata = await bot.running.context.runs.getMetadata(firstRun);
    expect((await spentToday(bot.discord.user.id)).micro - before).toBe(metadata.cost?.microdollars);
  });

  it("a click while the job is between the queue and a worker is remembered: it ends Cancelled as it starts", async () => {
    const hold = holdAfterPartials(bot.openai, 0);
    const first = await bot.discord.slash("imagine", { prompt: "a busy stork", partials: 1 });
    await waitFor("the first job at OpenAI", () => bot.openai.requests.length === 1);
    const second = await bot.discord.slash("imagine", { prompt: "a stork in between", quality: "low" });
    const waiting = await waitFor("the second job's status", () => {
      const reply = bot.discord.original(second);
      return reply?.content.includes("Queued") && cancelId(reply) ? reply : undefined;
    });
    const runId = runIdOf(waiting);
    await waitFor("the second job queued", () => bot.running.context.queues.forKind("discord").getJob(runId));

    // What BullMQ does between making a job active and its worker tracking it, and what the images-per-minute
    // gate does when it puts a job back: the job is active where no worker's relay listener can abort it.
    const connection = testRedis();
    const taker = new Worker(bot.running.context.queues.forKind("discord").name, null, {
      connection,
      prefix: bot.config.queuePrefix,
    });
    const taken = await taker.getNextJob("in-between");
    expect(taken?.id).toBe(runId);
    await bot.discord.click(waiting, `cancel:${runId}`);
    const remembered = `${bot.running.context.queues.forKind("discord").qualifiedName}:cancelled:${runId}`;
    await waitFor(
      "the cancel remembered",
      async () => (await bot.running.context.redis.exists(remembered)) === 1,
    );
    await taken?.moveToWait("in-between");
    await taker.close();
    connection.disconnect();

    hold.release();
    bot.openai.pace(undefined);
    await bot.finalReply(first);
    await waitFor("Cancelled", () => bot.discord.original(second)?.content.includes("Cancelled"));
    await bot.idle();
    expect(bot.openai.requests).toHaveLength(1);
    expect(await bot.running.context.queues.forKind("discord").getJobState(runId)).toBe("failed");
    expect((await bot.running.context.queues.forKind("discord").getJob(runId))?.attemptsMade).toBe(1);
  });

  it("is offered while the job waits or runs, never under a result", async () => {
    const asked = await bot.discord.slash("imagine", { prompt: "a done deal", partials: 0 });
    const result = await bot.finalReply(asked);
    expect(cancelId(result)).toBeUndefined();
    const offered = result.history.filter((version) => customIds(version.components).some(isCancel));
    expect(offered.length).toBeGreaterThan(0);
  });
});
