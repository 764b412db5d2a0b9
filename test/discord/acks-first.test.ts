import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { wallClock } from "../fakes/clock.js";
import type { FakeInteraction } from "../fakes/discord/types.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

/**
 * A burst is acknowledged before it is taken in (`src/intake/acks-first.ts`). The fake Discord holds each
 * interaction's callback until the test releases it, as a slow Discord would: so which interactions are still
 * waiting for their deferral, when another's is answered, is the test's to choose.
 */
let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("acks-first", { logLevel: "debug" });
});
afterEach(async () => {
  bot.discord.holdCallbacks(false);
  await bot.reset();
});
afterAll(async () => {
  await bot?.close();
});

const held = (interaction: FakeInteraction) =>
  waitFor("the interaction's callback to reach Discord", () => interaction.heldCallback !== undefined);

const statusEdits = (interaction: FakeInteraction) =>
  bot.discord.requests.filter(
    (request) => request.method === "PATCH" && request.path.includes(interaction.token),
  );

/** The debug line the bot writes once its deferral is answered and earlier ones are not. */
const waitingLine = (interaction: FakeInteraction) =>
  waitFor("the bot to wait for the earlier deferrals", () =>
    bot.logs.find(
      (line) => line.msg === "deferred; waiting for earlier deferrals" && line.interaction === interaction.id,
    ),
  );

describe("acknowledgements before intake work", () => {
  it("takes no interaction in until every interaction that came before its answer is deferred", async () => {
    bot.discord.holdCallbacks();
    const first = await bot.discord.slash("imagine", { prompt: "a red kite" });
    await held(first);
    const second = await bot.discord.slash("imagine", { prompt: "a blue kite" });
    await held(second);
    bot.discord.holdCallbacks(false);
    bot.discord.releaseCallback(first);
    expect(await waitingLine(first)).toMatchObject({ earlier: 1 });
    // Waiting, not working: no status on the first reply while the second has no deferral.
    expect(statusEdits(first)).toEqual([]);

    const secondAnswered = wallClock();
    bot.discord.releaseCallback(second);
    await Promise.all([bot.finalReply(first), bot.finalReply(second)]);
    expect(statusEdits(first)[0]?.arrivedAt).toBeGreaterThanOrEqual(secondAnswered);
    expect(bot.openai.requests).toHaveLength(2);
  });

  // Alone, an interaction still checks its options first: imagine.test.ts's invalid option gets a private
  // reply with nothing deferred.
  it("in a burst, defers before checking the options: a mistake withdraws the public deferral and is answered privately", async () => {
    bot.discord.holdCallbacks();
    const first = await bot.discord.slash("imagine", { prompt: "a green kite" });
    await held(first);
    // An invalid size is a rule of the request (checked with the person's settings), not of the option's type.
    const mistaken = await bot.discord.slash("imagine", { prompt: "a cat", size: "1000x1000" });
    await held(mistaken);
    bot.discord.holdCallbacks(false);
    bot.discord.releaseCallback(first);
    bot.discord.releaseCallback(mistaken);

    const refusal = await waitFor("the private answer", () =>
      mistaken.followupIds
        .map((id) => bot.discord.message(id))
        .find((message) => message.content.startsWith("⚠️")),
    );
    expect(mistaken.callbackType).toBe(5);
    expect(mistaken.callbackData?.flags ?? 0).toBe(0);
    expect(refusal.flags).toBe(64);
    expect(refusal.content).toMatch(/size/i);
    await waitFor("the public deferral withdrawn", () => bot.discord.original(mistaken)?.deleted === true);
    await bot.finalReply(first);
    expect(bot.openai.requests).toHaveLength(1);
  });
});
