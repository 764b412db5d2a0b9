import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relay } from "../helpers/relay.js";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
/** Runs before the fake sees an edit of an interaction reply whose body says a queue position. */
let onPositionEdit: ((token: string) => Promise<void>) | undefined;

const REPLY_EDIT = /^\/api\/v\d+\/webhooks\/\d+\/([^/]+)\/messages\/(?:@|%40)original/;

beforeAll(async () => {
  bot = await startDiscordBot("discord-position", {
    env: { WORKER_CONCURRENCY: "2" },
    fake: {
      control: relay(() => bot.discord.origin, {
        match: (method, path) => method === "PATCH" && REPLY_EDIT.test(path),
        async before(edit) {
          const token = REPLY_EDIT.exec(edit.path)?.[1];
          if (token !== undefined && edit.text.includes("Queued (position")) await onPositionEdit?.(token);
        },
      }),
    },
  });
});
afterAll(() => bot.close());

const contents = (token: string) => {
  const interaction = bot.discord.world.interactions.get(token);
  return (interaction && bot.discord.original(interaction)?.history.map((version) => version.content)) ?? [];
};

describe("the queue position", () => {
  it("is shown while a job waits behind another, and never over the worker's first edit", async () => {
    const queue = bot.running.context.queues.forKind("discord");
    await queue.pause();
    const first = await bot.discord.slash("imagine", { prompt: "one", partials: 0 });
    await waitFor("the first job queued", async () => (await queue.getWaitingCount()) === 1);

    // The race made certain: the worker is let go as the position edit reaches Discord, and when the job
    // is already queued by then, the edit waits until the worker has shown "Generating…".
    onPositionEdit = async (token) => {
      onPositionEdit = undefined;
      const alreadyQueued = (await queue.getWaitingCount()) > 1;
      await queue.resume();
      if (alreadyQueued) {
        await waitFor("the worker's first edit", () =>
          contents(token).some((content) => content.includes("Generating…")),
        );
      }
    };
    const second = await bot.discord.slash("imagine", { prompt: "two", partials: 0 });
    const [, reply] = await Promise.all([bot.finalReply(first, 30_000), bot.finalReply(second, 30_000)]);

    const seen = reply.history.map((version) => version.content);
    const position = seen.findIndex((content) => content.includes("Queued (position 1)"));
    const generating = seen.findIndex((content) => content.includes("Generating…"));
    expect(position).toBeGreaterThanOrEqual(0);
    expect(generating).toBeGreaterThan(position);
    expect(seen.slice(generating).filter((content) => content.includes("Queued"))).toEqual([]);
    expect(seen.at(-1)).toContain("**Prompt:** two");
  });

  it("is not shown for a job a worker takes at once", async () => {
    const interaction = await bot.discord.slash("imagine", { prompt: "three", partials: 0 });
    const reply = await bot.finalReply(interaction, 30_000);
    expect(reply.history.filter((version) => version.content.includes("position"))).toEqual([]);
  });

  it("is said in the bot's own reply to a message while that job waits", async () => {
    const queue = bot.running.context.queues.forKind("discord");
    await queue.pause();
    const first = await bot.discord.slash("imagine", { prompt: "four", partials: 0 });
    await waitFor("the first job queued", async () => (await queue.getWaitingCount()) === 1);
    const picture = await bot.discord.say({
      content: "",
      files: [{ filename: "room.png", bytes: await solidPng(64, 64, "#c33") }],
    });
    const ask = await bot.discord.say({ content: "make it blue", replyTo: picture, mention: true });
    await waitFor("the reply's job queued", async () => (await queue.getWaitingCount()) === 2);
    await queue.resume();

    const [, reply] = await Promise.all([bot.finalReply(first, 30_000), botReplyTo(bot, ask, 30_000)]);
    expect(reply.history[0]?.content).toContain("Queued (position 1)");
    expect(reply.content).toContain("make it blue");
  });
});
