import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DefaultRestOptions } from "discord.js";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  INTERACTION_TOKEN_LIFETIME_MS,
  TOKEN_SAFETY_MARGIN_MS,
} from "../../src/platforms/discord/reply-target.js";
import type { FakeInteraction } from "../fakes/discord/fake.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-delivery");
});
afterAll(() => bot.close());
/** Where this test's requests to the fake Discord begin (it keeps every request of the file). */
let firstRequest = 0;
const requestsOfThisTest = () => bot.discord.requests.slice(firstRequest);
beforeEach(async () => {
  await bot.reset();
  firstRequest = bot.discord.requests.length;
  bot.discord.setAttachmentSizeLimit(10 * 1024 * 1024);
});

const jobIdOf = (content: string) => /job `([^`]+)`/.exec(content)?.[1] ?? "";

/** The interaction's reply once it shows a partial frame. */
const firstFrame = (interaction: FakeInteraction) =>
  waitFor("the first frame", () => {
    const message = bot.discord.original(interaction);
    return message?.attachments.some((file) => file.filename.startsWith("partial_")) ? message : undefined;
  });

describe("delivering results to Discord", () => {
  it("fits an oversize final under the interaction's attachment_size_limit, saying so; the original stays in storage", async () => {
    const limit = 60_000;
    bot.discord.setAttachmentSizeLimit(limit);
    const interaction = await bot.discord.slash("imagine", {
      prompt: "a detailed city at night",
      size: "1536x1024",
      partials: 1,
    });
    const reply = await bot.finalReply(interaction);
    const shown = reply.attachments[0];
    expect(shown?.size).toBeLessThanOrEqual(limit);
    expect(shown?.filename).toMatch(/\.(jpg|webp)$/);
    expect(reply.content).toMatch(
      /to fit Discord's 0\.1 MB upload limit; the original 1536x1024 PNG is kept/,
    );
    const original = await readFile(join(bot.storageDir, jobIdOf(reply.content), "final_0.png"));
    expect(original.length).toBeGreaterThan(limit);
    expect(requestsOfThisTest().filter((request) => request.status === 413)).toHaveLength(0);
  });

  it("keeps editing with the bot token once the interaction token has expired (50027)", async () => {
    const stream = holdAfterPartials(bot.openai, 1);
    const interaction = await bot.discord.slash("imagine", { prompt: "a slow painting", partials: 2 });
    await firstFrame(interaction);
    bot.discord.expireToken(interaction);
    stream.release();
    const reply = await bot.finalReply(interaction);
    expect(reply.attachments[0]?.filename).toMatch(/_0\.png$/);
    const refused = bot.discord.requests.filter(
      (request) => request.path.includes(interaction.token) && request.status === 401,
    );
    expect(refused.length).toBe(1);
    const viaBot = bot.discord.requests.filter(
      (request) =>
        request.method === "PATCH" &&
        request.path.endsWith(`/channels/${bot.discord.channelId}/messages/${reply.id}`),
    );
    expect(viaBot.length).toBeGreaterThanOrEqual(1);
    expect(viaBot.at(-1)?.json).toMatchObject({ components: [{ type: 1 }, { type: 1 }, { type: 1 }] });
  });

  it("switches to the bot token by itself when the stored interaction token is gone (15 minutes passed)", async () => {
    const stream = holdAfterPartials(bot.openai, 1);
    // Made long ago: the token's Redis entry, which ends a little before Discord's 15 minutes, has seconds left.
    bot.discord.ageNextInteraction(INTERACTION_TOKEN_LIFETIME_MS - TOKEN_SAFETY_MARGIN_MS - 6_000);
    const interaction = await bot.discord.slash("imagine", { prompt: "a long night", partials: 2 });
    const first = await firstFrame(interaction);
    // The worker read the token once, with its entry's end; past that end it must not use it any more.
    const key = `${bot.config.queuePrefix}:discord:interaction-token:${first.id}`;
    await waitFor(
      "the stored token's end",
      async () => (await bot.running.context.redis.exists(key)) === 0,
      20_000,
    );
    stream.release();
    const reply = await bot.finalReply(interaction);
    const afterward = bot.discord.requests.filter(
      (request) => request.path.includes(interaction.token) && request.status === 401,
    );
    expect(afterward).toHaveLength(0);
    const viaBot = bot.discord.requests.filter(
      (request) => request.method === "PATCH" && request.path.endsWith(`/messages/${reply.id}`),
    );
    expect(viaBot.at(-1)?.json).toMatchObject({ components: [{ type: 1 }, { type: 1 }, { type: 1 }] });
    // Tokens never reach job data or the run folder.
    const metadata = await readFile(join(bot.storageDir, jobIdOf(reply.content), "metadata.json"), "utf8");
    expect(metadata).not.toContain(interaction.token);
    expect(metadata).toContain(reply.id);
  });

  it("reads the interaction token from Redis once per job, not once per edit", async () => {
    // One Redis here (no cluster): MONITOR sees every command the bot sends.
    const monitor = await (bot.running.context.redis as Redis).duplicate().monitor();
    const reads: string[][] = [];
    const tokenKeys = `${bot.config.queuePrefix}:discord:interaction-token:`;
    monitor.on("monitor", (_time: string, args: string[]) => {
      if (args[1]?.startsWith(tokenKeys) && !args[1].endsWith(":last-edit") && args[0] !== "set")
        reads.push(args);
    });
    try {
      const interaction = await bot.discord.slash("imagine", { prompt: "a quiet read", partials: 3 });
      const reply = await bot.finalReply(interaction);
      const edits = requestsOfThisTest().filter(
        (request) => request.method === "PATCH" && request.path.includes(interaction.token),
      );
      expect(edits.length).toBeGreaterThanOrEqual(3);
      // One pipelined read of the token with its entry's end: `get` and `pttl` of the reply's key.
      expect(reads.map((args) => args[0])).toEqual(["get", "pttl"]);
      expect(reads.every((args) => args[1] === `${tokenKeys}${reply.id}`)).toBe(true);
    } finally {
      monitor.disconnect();
    }
  });

  it("rides out a 429 burst: waits retry_after, no storm, the final lands", async () => {
    bot.openai.setLatency(50);
    bot.discord.rateLimit({ times: 3, retryAfterSeconds: 0.3, match: /^PATCH \/webhooks\// });
    const interaction = await bot.discord.slash("imagine", { prompt: "a busy harbour", partials: 3 });
    const reply = await bot.finalReply(interaction);
    expect(reply.attachments[0]?.filename).toMatch(/_0\.png$/);
    const limited = requestsOfThisTest().filter((request) => request.status === 429);
    expect(limited).toHaveLength(3);
  });

  it("says so when Discord refuses the final upload, never leaving the reply on its progress", async () => {
    const stream = holdAfterPartials(bot.openai, 0);
    const interaction = await bot.discord.slash("imagine", { prompt: "a refused upload", partials: 0 });
    await waitFor("the job started", () => bot.discord.original(interaction)?.content.includes("Generating"));
    // Editing falls to the bot token's channel route, whose upload limit is lowered under the final's size:
    // Discord answers 413 to the image upload on every attempt, and still takes a text-only edit.
    bot.discord.expireToken(interaction);
    bot.discord.setAttachmentSizeLimit(1_000);
    stream.release();
    const reply = await waitFor(
      "the delivery failure",
      () => {
        const message = bot.discord.original(interaction);
        return message?.content.startsWith("⚠️") ? message : undefined;
      },
      25_000,
    );
    expect(reply.content).toMatch(/made but could not be posted here/);
    expect(reply.components).toHaveLength(0);
    expect(reply.attachments).toHaveLength(0);
    // Both attempts offered the image (the retry from storage), and OpenAI was paid once.
    expect(requestsOfThisTest().filter((request) => request.status === 413)).toHaveLength(2);
    expect(bot.openai.requests.filter((request) => request.method === "POST")).toHaveLength(1);
    const runId = /run `([^`]+)`/.exec(reply.content)?.[1] ?? "";
    const metadata = JSON.parse(await readFile(join(bot.storageDir, runId, "metadata.json"), "utf8"));
    expect(metadata).toMatchObject({ status: "delivery_failed", error: { code: "delivery_failed" } });
    expect((await readFile(join(bot.storageDir, runId, "final_0.png"))).length).toBeGreaterThan(1_000);
  }, 45_000);
});

/** @discordjs/rest's tries for one request that keeps answering 5xx, and BullMQ's attempts for one job. */
const TRIES_PER_REQUEST = DefaultRestOptions.retries + 1;
const JOB_ATTEMPTS = 2;
const EDITS = /^PATCH \/webhooks\//;

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

  it("storage full at the final: the result shows, without the buttons that need the stored image", async () => {
    const before = new Set(await readdir(bot.storageDir));
    const stream = holdAfterPartials(bot.openai, 1);
    const interaction = await bot.discord.slash("imagine", {
      prompt: "a lighthouse on a full disk",
      partials: 2,
    });
    await firstFrame(interaction);
    // A folder where the run's final goes makes that one write fail; the frames and metadata still go through.
    const runId = await waitFor("the run's folder", async () =>
      (await readdir(bot.storageDir)).find((name) => !before.has(name)),
    );
    await mkdir(join(bot.storageDir, runId, "final_0.png"), { recursive: true });
    stream.release();
    const reply = await bot.finalReply(interaction);
    expect(reply.attachments[0]?.filename).toMatch(/_0\.png$/);
    const buttons = [...JSON.stringify(reply.components).matchAll(/"custom_id":"([a-z-]+):/g)].map(
      (match) => match[1],
    );
    expect(buttons).toContain("reroll");
    expect(buttons).toContain("details");
    for (const needsStoredFinal of ["vary", "finalize", "edit", "reference"])
      expect(buttons).not.toContain(needsStoredFinal);
  });
});
