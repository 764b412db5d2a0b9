import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRedis } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordProcesses, startDiscordProcesses } from "./discord-processes.js";
import { PROCESS_TEST_TIMEOUT_MS, stopCleanly } from "./scripts.js";

/** `YYYY-MM-DD`, `days` from today (UTC). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const GONE = inDays(-3);
const SOON = inDays(10);

/**
 * `npm run bot` and `npm run worker` as separate processes, each reading the models' shutdown dates from the
 * fake OpenAI at start: the bot refuses a model past its date, and the worker, which renders the result,
 * says the coming shutdown of the model it used.
 */
let world: DiscordProcesses;
beforeAll(async () => {
  world = await startDiscordProcesses(
    "process-models",
    { OPENAI_SHUTDOWN_DATES: "true" },
    { shutdownDates: { "gpt-image-2.6-flare": GONE, "gpt-image-2.5-sunburst": SOON } },
  );
});
afterAll(() => world.close());

describe("shutdown dates in separate bot and worker processes", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("refuses a shut-down model in the bot, and maps a saved retired model with both notices from the worker", async () => {
    const { discord, openai } = world;
    const gateway = world.run("bot");
    const worker = world.run("worker");
    await gateway.waitForLog((line) => line.msg === "imagine-bot running", "the bot");
    await worker.waitForLog((line) => line.msg === "imagine-bot running", "the worker");
    await discord.waitForBot();
    for (const process of [gateway, worker]) {
      const read = process.logs().find((line) => line.msg === "model shutdown dates");
      expect(read?.dates).toEqual({ "gpt-image-2.6-flare": GONE, "gpt-image-2.5-sunburst": SOON });
    }

    const refused = await discord.slash("imagine", { prompt: "a fox", model: "gpt-image-2.6-flare" });
    await waitFor("the refusal", () => refused.callbackType, 20_000);
    expect(refused.callbackData?.flags).toBe(64);
    expect(String(refused.callbackData?.content)).toContain(
      `Model gpt-image-2.6-flare was retired on ${GONE}`,
    );

    // A setting an older release saved: /settings refuses the model now.
    const redis = testRedis();
    await redis.hset(`${world.prefix}:discord:settings:${discord.otherUser.id}`, "model", "gpt-image-1.5");
    redis.disconnect();
    const interaction = await discord.slash(
      "imagine",
      { prompt: "a red barn", partials: 0 },
      discord.otherUser,
    );
    const reply = await world.finalReply(interaction);
    expect(reply.content).toContain(
      "Your saved model gpt-image-1.5 was retired on 2026-12-01; this used gpt-image-2.5-sunburst. Change it with /settings.",
    );
    expect(reply.content).toContain(
      `gpt-image-2.5-sunburst shuts down on ${SOON}; use gpt-image-2.5-flare instead.`,
    );
    const posts = openai.requests.filter((request) => request.method === "POST");
    expect(posts.map((request) => (request.json as { model?: string }).model)).toEqual([
      "gpt-image-2.5-sunburst",
    ]);
    await stopCleanly(gateway);
    await stopCleanly(worker);
  });
});
