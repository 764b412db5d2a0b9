import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeInteraction } from "../fakes/discord/fake.js";
import { relay } from "../helpers/relay.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
/** Runs once the fake shows a reply edit carrying the result buttons, before the worker hears back. */
let onResultShown: ((token: string) => Promise<void>) | undefined;

const REPLY_EDIT = /^\/api\/v\d+\/webhooks\/\d+\/([^/]+)\/messages\/(?:@|%40)original/;

beforeAll(async () => {
  bot = await startDiscordBot("discord-slot", {
    env: { USER_MAX_ACTIVE_JOBS: "1", WORKER_CONCURRENCY: "2" },
    fake: {
      control: relay(() => bot.discord.origin, {
        match: (method, path) => method === "PATCH" && REPLY_EDIT.test(path),
        async after(edit) {
          const token = REPLY_EDIT.exec(edit.path)?.[1];
          if (token !== undefined && edit.text.includes("reroll:")) await onResultShown?.(token);
        },
      }),
    },
  });
});
afterAll(() => bot.close());

const refusal = (interaction: FakeInteraction) =>
  interaction.followupIds.map((id) => bot.discord.message(id).content).find((text) => text.startsWith("⚠️"));

describe("a person limited to one job at a time", () => {
  it("may Re-roll the moment the result appears", async () => {
    const queue = bot.running.context.queues.forKind("discord");
    let decided: ((click: FakeInteraction) => void) | undefined;
    const decision = new Promise<FakeInteraction>((resolve) => {
      decided = resolve;
    });
    // The worker's result edit is held on its way back until the click is decided: a slot freed only
    // after the edit returns would refuse it.
    onResultShown = async (token) => {
      onResultShown = undefined;
      const interaction = bot.discord.world.interactions.get(token);
      const result = interaction && bot.discord.original(interaction);
      const jobId = /job `([^`]+)`/.exec(result?.content ?? "")?.[1];
      if (result === undefined || jobId === undefined) throw new Error("no result to re-roll");
      const clicked = await bot.discord.click(result, `reroll:${jobId}`);
      await waitFor(
        "the Re-roll to be queued or refused",
        async () =>
          refusal(clicked) !== undefined || (await queue.getJobCountByTypes("waiting", "active")) > 1,
      );
      decided?.(clicked);
    };
    const first = await bot.discord.slash("imagine", { prompt: "a red fox", partials: 0 });
    const rerolled = await decision;
    await bot.finalReply(first, 30_000);

    expect(refusal(rerolled)).toBeUndefined();
    const reply = await bot.finalReply(rerolled, 30_000);
    expect(reply.content).toContain("a red fox");
    expect(bot.openai.requests).toHaveLength(2);
  });

  it("is still refused a second job while the first is being made", async () => {
    const person = bot.discord.otherUser;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    bot.openai.pace(() => held);
    const before = bot.openai.requests.length;
    const first = await bot.discord.slash("imagine", { prompt: "a slow owl", partials: 1 }, person);
    await waitFor("the first job at OpenAI", () => bot.openai.requests.length > before);

    const second = await bot.discord.slash("imagine", { prompt: "an impatient owl" }, person);
    const refused = await waitFor("the refusal", () => refusal(second));
    expect(refused).toContain("You already have 1 request in progress");

    release();
    bot.openai.pace(undefined);
    await bot.finalReply(first, 30_000);
    expect(bot.openai.requests).toHaveLength(before + 1);
  });
});
