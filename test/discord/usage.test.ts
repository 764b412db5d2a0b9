import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatDollars } from "../../src/budget/budget-scopes.js";
import type { FakeInteraction } from "../fakes/discord/fake.js";
import type { FakeUser } from "../fakes/discord/types.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
/** Without Manage Server, but holding a role named in DISCORD_ADMIN_ROLE_IDS. */
const moderator: FakeUser = {
  id: "300000000000000777",
  username: "moderator",
  global_name: "Moderator",
  discriminator: "0",
  avatar: null,
};
beforeAll(async () => {
  // One job at a time, so a second one waits in the queue; a daily budget per person to show what is left.
  bot = await startDiscordBot("discord-usage", {
    env: (discord) => ({
      WORKER_CONCURRENCY: "1",
      BUDGET_USER_DAY_USD: "2",
      DISCORD_ADMIN_ROLE_IDS: discord.world.addRole("moderators", [moderator]),
    }),
  });
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

/** What the person was told privately: the reply, the deferred reply edited, or a follow-up. */
function privateAnswer(interaction: FakeInteraction): string | undefined {
  const texts = [
    interaction.callbackData?.content,
    bot.discord.original(interaction)?.content,
    ...interaction.followupIds.map((id) => bot.discord.message(id).content),
  ];
  return texts.find((text): text is string => typeof text === "string" && text !== "");
}

const answer = (interaction: FakeInteraction, what: string) =>
  waitFor(what, () => privateAnswer(interaction), 20_000);

/** The one run this test made: its cost as metadata.json has it. */
async function onlyRunCost(): Promise<number> {
  const [run, ...others] = await readdir(bot.storageDir);
  expect(others).toEqual([]);
  const metadata = JSON.parse(await readFile(join(bot.storageDir, run ?? "", "metadata.json"), "utf8"));
  return metadata.cost.microdollars as number;
}

describe("/usage", () => {
  it("shows what a job cost, the budget left, and to an admin the server's spending per person", async () => {
    const { user, otherUser } = bot.discord;
    await bot.finalReply(await bot.discord.slash("imagine", { prompt: "a lighthouse", partials: 0 }));
    const micro = await onlyRunCost();
    expect(micro).toBeGreaterThan(0);

    const usage = await bot.discord.slash("usage");
    const text = await answer(usage, "the usage");
    expect(usage.callbackData?.flags).toBe(64);
    expect(text).toContain(`You: 1 image, ${formatDollars(micro, "up")}`);
    expect(text).toContain(`Your daily budget: $2.00, ${formatDollars(2_000_000 - micro)} left`);
    expect(text).toContain("None running or queued.");
    // The fake's people have Administrator, which includes Manage Server.
    expect(text).toContain("**This server today**");
    expect(text).toContain(`<@${user.id}>: 1 image, ${formatDollars(micro, "up")}`);

    bot.discord.world.memberPermissions.set(otherUser.id, "0");
    const theirs = await answer(await bot.discord.slash("usage", {}, otherUser), "someone else's usage");
    expect(theirs).toContain("You: 0 images, $0.00");
    expect(theirs).not.toContain("This server");
  });

  it("lists the person's running and queued jobs with their position", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    bot.openai.pace(() => held);
    await bot.discord.slash("imagine", { prompt: "first", partials: 0 });
    await waitFor("the first job to reach OpenAI", () => bot.openai.requests[0]);
    await bot.discord.slash("imagine", { prompt: "second", partials: 0 });
    await waitFor(
      "the second job to wait",
      async () => (await bot.running.context.queues.forKind("discord").getWaitingCount()) === 1,
    );

    const text = await answer(await bot.discord.slash("usage"), "the usage");
    expect(text).toMatch(/• `[^`]+`: running\n• `[^`]+`: queued, next in line/);
    release();
    bot.openai.pace(undefined);
  });

  it("an admin sets the server's limit and the next request over it is refused; others cannot set it", async () => {
    const { otherUser } = bot.discord;
    bot.discord.world.memberPermissions.set(otherUser.id, "0");
    const refused = await bot.discord.slash("usage", { set: "server-day-images", value: "100" }, otherUser);
    expect(await answer(refused, "the refusal")).toBe(
      "⚠️ Only this server's admins can set its limits; /usage shows yours.",
    );

    const bad = await bot.discord.slash("usage", { set: "server-day-images", value: "1.5" });
    expect(await answer(bad, "the bad value")).toMatch(
      /^⚠️ "1.5" is not a limit for the whole server, images per UTC day/,
    );
    expect(bad.callbackData?.flags).toBe(64);

    const set = await bot.discord.slash("usage", { set: "server-day-images", value: "1" });
    expect(await answer(set, "the confirmation")).toBe(
      "✅ The limit for the whole server, images per UTC day is now 1 image (it was none).",
    );
    expect(set.callbackData?.flags).toBe(64);
    // Earlier tests made images today in this server: the next one is over the limit.
    const over = await bot.discord.slash("imagine", { prompt: "one too many", partials: 0 });
    const refusal = await answer(over, "the budget refusal");
    expect(refusal).toMatch(
      /^⚠️ This server's daily limit of 1 image has 0 left; this request makes 1 image\. It resets in/,
    );

    // A configured admin role is enough without the permission.
    bot.discord.world.memberPermissions.set(moderator.id, "0");
    const restored = await bot.discord.slash(
      "usage",
      { set: "server-day-images", value: "default" },
      moderator,
    );
    expect(await answer(restored, "the confirmation")).toBe(
      "✅ The limit for the whole server, images per UTC day is the bot's again: none.",
    );
  });
});
