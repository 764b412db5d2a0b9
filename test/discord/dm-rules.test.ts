import { afterEach, describe, expect, it } from "vitest";
import type { FakeInteraction } from "../fakes/discord/fake.js";
import type { FakeUser } from "../fakes/discord/types.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

/** Someone of this file's own, so the images they spend count only here. */
function person(id: string, name: string): FakeUser {
  return { id, username: name, global_name: name, discriminator: "0", avatar: null };
}

/** What the person was told privately: the reply, the deferred reply edited, or a follow-up. */
function privateAnswer(bot: DiscordBot, interaction: FakeInteraction): string | undefined {
  const texts = [
    interaction.callbackData?.content,
    bot.discord.original(interaction)?.content,
    ...interaction.followupIds.map((id) => bot.discord.message(id).content),
  ];
  return texts.find((text): text is string => typeof text === "string" && text.startsWith("⚠️"));
}

let bot: DiscordBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe("budgets in DMs", () => {
  it("count against the person (and everyone), never a server's: a DM has none", async () => {
    // One image a day per server, two per person.
    bot = await startDiscordBot("discord-dm-budget", {
      env: { BUDGET_SERVER_DAY_IMAGES: "1", BUDGET_USER_DAY_IMAGES: "2" },
    });
    const running = bot;
    const carol = person("300000000000000901", "carol");
    const dave = person("300000000000000902", "dave");
    await running.finalReply(
      await running.discord.slash("imagine", { prompt: "in the server", partials: 0 }, carol),
    );
    // The server's one image is spent; Carol's DM does not count against it, only against her own two.
    const dm = await running.discord.slashInDm("imagine", { prompt: "in a DM", partials: 0 }, { by: carol });
    await running.finalReply(dm);
    const third = await running.discord.slashInDm(
      "imagine",
      { prompt: "one more", partials: 0 },
      { by: carol },
    );
    const refused = await waitFor("the refusal", () => privateAnswer(running, third));
    expect(refused).toMatch(/^⚠️ Your daily limit of 2 images has 0 left; this request makes 1 image\./);
    // Dave has images of his own left in a DM, while the server's are gone for him there.
    await running.finalReply(
      await running.discord.slashInDm("imagine", { prompt: "dave's DM", partials: 0 }, { by: dave }),
    );
    const inServer = await running.discord.slash("imagine", { prompt: "dave's server", partials: 0 }, dave);
    expect(await waitFor("the server refusal", () => privateAnswer(running, inServer))).toMatch(
      /limit of 1 image/,
    );
    await running.idle();
    const prompts = running.openai.requests.map((request) => (request.json as { prompt?: string }).prompt);
    expect(prompts).toEqual(["in the server", "in a DM", "dave's DM"]);
    // /usage in a DM tells Carol her own spending and budgets, privately; setting a server's limit needs a server.
    const usage = await running.discord.slashInDm("usage", {}, { by: carol });
    const told = await waitFor("the usage", () => running.discord.original(usage)?.content || undefined);
    expect(usage.callbackData?.flags).toBe(64);
    expect(told).toContain("You: 2 images");
    expect(told).not.toContain("This server");
    const set = await running.discord.slashInDm(
      "usage",
      { set: "server-day-images", value: "5" },
      { by: carol },
    );
    expect(await waitFor("the refusal", () => privateAnswer(running, set))).toBe(
      "⚠️ Limits belong to a server: set them from one of its channels.",
    );
  });
});

describe("DISCORD_ALLOW_USER_INSTALL=false", () => {
  it("refuses a command Discord still delivers from a user install, with a sentence and nothing spent", async () => {
    bot = await startDiscordBot("discord-user-install-off", { env: { DISCORD_ALLOW_USER_INSTALL: "false" } });
    const running = bot;
    const dm = await running.discord.slashInDm("imagine", { prompt: "from my own apps", partials: 0 });
    expect(await waitFor("the refusal", () => privateAnswer(running, dm))).toBe(
      "⚠️ imagine works only in the servers that added it; it can't be used from your own apps here.",
    );
    expect(dm.callbackData).toMatchObject({ flags: 64 });
    // The server, where the bot was added, is served as ever.
    await running.finalReply(
      await running.discord.slash("imagine", { prompt: "in the server", partials: 0 }),
    );
    await running.idle();
    expect(running.openai.requests.map((request) => (request.json as { prompt?: string }).prompt)).toEqual([
      "in the server",
    ]);
  });
});

describe("access lists in DMs", () => {
  it("a DM has no server: with DISCORD_ALLOWED_GUILDS set it is refused like any server not listed", async () => {
    bot = await startDiscordBot("discord-dm-access", {
      env: (discord) => ({ DISCORD_ALLOWED_GUILDS: discord.guildId }),
    });
    const running = bot;
    const dm = await running.discord.slashInDm("imagine", { prompt: "outside the servers", partials: 0 });
    expect(await waitFor("the refusal", () => privateAnswer(running, dm))).toBe(
      "⚠️ imagine isn't enabled here.",
    );
    await running.finalReply(
      await running.discord.slash("imagine", { prompt: "in the listed server", partials: 0 }),
    );
    expect(running.openai.requests).toHaveLength(1);
  });
});
