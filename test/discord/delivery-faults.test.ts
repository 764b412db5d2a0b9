import { DefaultRestOptions } from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { holdAfterPartials } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

/** @discordjs/rest's tries for one request that keeps answering 5xx, and BullMQ's attempts for one job. */
const TRIES_PER_REQUEST = DefaultRestOptions.retries + 1;
const JOB_ATTEMPTS = 2;
const EDITS = /^PATCH \/webhooks\//;

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-delivery-faults");
});
afterAll(() => bot.close());
let firstRequest = 0;
const requestsOfThisTest = () => bot.discord.requests.slice(firstRequest);
beforeEach(async () => {
  await bot.reset();
  firstRequest = bot.discord.requests.length;
});

const unavailable = (times: number) =>
  bot.discord.fail({ times, match: EDITS, status: 503, code: 0, message: "503: Service Unavailable" });

describe("Discord failing to take edits", () => {
  it("answering 503 to the result past every retry: the person is told, OpenAI was paid once", async () => {
    const stream = holdAfterPartials(bot.openai, 0);
    const interaction = await bot.discord.slash("imagine", { prompt: "an unlucky harbour", partials: 0 });
    await waitFor("the job started", () => bot.discord.original(interaction)?.content.includes("Generating"));
    // Every try of the result's edit, on both attempts, fails; the text-only answer after them gets through.
    unavailable(TRIES_PER_REQUEST * JOB_ATTEMPTS);
    stream.release();
    const reply = await waitFor(
      "the person to be told",
      () => {
        const message = bot.discord.original(interaction);
        return message?.content.startsWith("⚠️") ? message : undefined;
      },
      45_000,
    );
    expect(reply.content).toMatch(/made but could not be posted here .*; it is kept as run `/);
    expect(reply.attachments).toHaveLength(0);
    expect(requestsOfThisTest().filter((request) => request.status === 503)).toHaveLength(
      TRIES_PER_REQUEST * JOB_ATTEMPTS,
    );
    expect(bot.openai.requests.filter((request) => request.method === "POST")).toHaveLength(1);
  }, 60_000);

  it("answering 503 to progress edits: frames may be skipped, the result lands", async () => {
    const stream = holdAfterPartials(bot.openai, 1);
    const interaction = await bot.discord.slash("imagine", { prompt: "a stormy harbour", partials: 3 });
    await waitFor("the first frame", () =>
      bot.discord.original(interaction)?.attachments.some((file) => file.filename.startsWith("partial_")),
    );
    // The next frame's edit fails on every try; the frames after it and the result go through.
    unavailable(TRIES_PER_REQUEST);
    stream.release();
    const reply = await bot.finalReply(interaction);
    expect(reply.attachments[0]?.filename).toMatch(/_0\.png$/);
    expect(requestsOfThisTest().filter((request) => request.status === 503)).toHaveLength(TRIES_PER_REQUEST);
    expect(bot.openai.requests.filter((request) => request.method === "POST")).toHaveLength(1);
  });
});
