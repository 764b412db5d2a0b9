import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setShutdownDates } from "../../src/core/model-shutdowns.js";
import { MODELS } from "../../src/core/models.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

/** `YYYY-MM-DD`, `days` from today (UTC). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const GONE = inDays(-1);
const SOON = inDays(5);

let bot: DiscordBot;
/** The paths of the model lookups the restarted bot made before it served anyone. */
let lookups: string[] = [];
beforeAll(async () => {
  bot = await startDiscordBot("discord-models", { env: { OPENAI_SHUTDOWN_DATES: "true" } });
  // OpenAI announces dates; the bot reads them at start.
  bot.openai.setShutdownDate("gpt-image-2.6-flare", GONE);
  bot.openai.setShutdownDate("gpt-image-2", SOON);
  bot.openai.reset();
  await bot.restart();
  lookups = bot.openai.requests.map((request) => `${request.method} ${request.path}`);
});
afterAll(async () => {
  await bot.close();
  setShutdownDates(new Map());
});
beforeEach(() => bot.reset());

const imageCalls = () => bot.openai.requests.filter((request) => request.method === "POST");

/** A setting saved by an older release, before the model was retired (/settings refuses it now). */
async function saveModel(userId: string, model: string | undefined): Promise<void> {
  const key = `${bot.config.queuePrefix}:discord:settings:${userId}`;
  const redis = bot.running.context.redis;
  if (model === undefined) await redis.hdel(key, "model");
  else await redis.hset(key, "model", model);
}

describe("models that no longer exist (fake OpenAI's shutdown_date, fake Discord)", () => {
  it("reads every offered model's shutdown date at start, and nothing else", () => {
    expect(lookups).toEqual([...MODELS.keys()].map((model) => `GET /v1/models/${model}`));
  });

  it("no longer suggests a model past its shutdown date, nor a retired one", async () => {
    const interaction = await bot.discord.autocomplete("imagine", "model", "gpt-image");
    await waitFor("suggestions", () => interaction.callbackType);
    const offered = ((interaction.callbackData?.choices ?? []) as { value: string }[]).map((c) => c.value);
    expect(offered).toContain("gpt-image-2");
    expect(offered).toContain("gpt-image-2.6-sunburst");
    expect(offered).not.toContain("gpt-image-2.6-flare");
    expect(offered).not.toContain("gpt-image-1.5");
  });

  it("refuses a model past its shutdown date privately, before any image request", async () => {
    const interaction = await bot.discord.slash("imagine", { prompt: "a fox", model: "gpt-image-2.6-flare" });
    await waitFor("the refusal", () => interaction.callbackType);
    expect(interaction.callbackData?.flags).toBe(64);
    expect(String(interaction.callbackData?.content)).toContain(
      `Model gpt-image-2.6-flare was retired on ${GONE}; use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.`,
    );
    expect(imageCalls()).toHaveLength(0);
  });

  it("runs a saved setting naming a retired model on its replacement, and says so on the result", async () => {
    const person = bot.discord.otherUser;
    await saveModel(person.id, "gpt-image-1.5");
    try {
      const interaction = await bot.discord.slash("imagine", { prompt: "a boat", partials: 0 }, person);
      const reply = await bot.finalReply(interaction);
      expect(imageCalls().map((request) => (request.json as { model?: string }).model)).toEqual([
        "gpt-image-2.5-sunburst",
      ]);
      expect(reply.content).toContain("`gpt-image-2.5-sunburst`");
      expect(reply.content).toContain(
        "-# ⚠️ Your saved model gpt-image-1.5 was retired on 2026-12-01; this used gpt-image-2.5-sunburst. Change it with /settings.",
      );
    } finally {
      await saveModel(person.id, undefined);
    }
  });

  it("maps a saved model shut down by its date the same way", async () => {
    const person = bot.discord.otherUser;
    await saveModel(person.id, "gpt-image-2.6-flare");
    try {
      const interaction = await bot.discord.slash("imagine", { prompt: "a kite", partials: 0 }, person);
      const reply = await bot.finalReply(interaction);
      expect(imageCalls()).toHaveLength(1);
      expect(reply.content).toContain(
        `Your saved model gpt-image-2.6-flare was retired on ${GONE}; this used gpt-image-2.5-sunburst.`,
      );
    } finally {
      await saveModel(person.id, undefined);
    }
  });

  it("puts a one-line notice on results of a model that shuts down within 14 days", async () => {
    const interaction = await bot.discord.slash("imagine", { prompt: "a lighthouse", partials: 0 });
    const reply = await bot.finalReply(interaction);
    expect(reply.content).toContain(
      `-# ⚠️ gpt-image-2 shuts down on ${SOON}; use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.`,
    );
  });
});
