import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  INTERACTION_TOKEN_LIFETIME_MS,
  TOKEN_SAFETY_MARGIN_MS,
} from "../../src/platforms/discord/reply-target.js";
import type { FakeMessage } from "../fakes/discord/fake.js";
import { customIds } from "../helpers/discord-result.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-user-install");
});
afterAll(() => bot.close());
/** Where this test's requests to the fake Discord begin (it keeps every request of the file). */
let firstRequest = 0;
const requestsOfThisTest = () => bot.discord.requests.slice(firstRequest);
beforeEach(async () => {
  await bot.reset();
  firstRequest = bot.discord.requests.length;
});

/** This test's REST calls made with the bot token on `channelId` (messages, threads, the channel itself). */
const botTokenCallsOn = (channelId: string) =>
  requestsOfThisTest().filter((request) => request.path.includes(`/channels/${channelId}`));

/** The bot's messages in `channelId` that everyone there sees (not ephemeral), made during this test. */
function publicBotMessages(channelId: string, since: Set<string>): FakeMessage[] {
  return [...bot.discord.world.messages.values()].filter(
    (message) =>
      !since.has(message.id) &&
      message.channel_id === channelId &&
      message.author.id === bot.discord.botUser.id &&
      (message.flags & 64) === 0,
  );
}

interface StoredRun {
  prompt: string;
  status: string;
  error?: { code: string };
  origin: { user: { workspace?: string } };
}

/** The run folder's metadata of the one run made for `prompt`. */
async function runFor(prompt: string): Promise<StoredRun> {
  for (const folder of await readdir(bot.storageDir)) {
    const text = await readFile(join(bot.storageDir, folder, "metadata.json"), "utf8").catch(() => "{}");
    const run = JSON.parse(text) as StoredRun;
    if (run.prompt === prompt) return run;
  }
  throw new Error(`no run for "${prompt}"`);
}

const press = (message: FakeMessage, action: string) => {
  const id = customIds(message.components).find((custom) => custom.startsWith(`${action}:`));
  if (id === undefined) throw new Error(`no ${action} button on the message`);
  return bot.discord.click(message, id);
};

describe("a user install in DMs and group DMs", () => {
  it("/imagine in a DM ends in its image through the interaction webhook, with buttons and no Refine", async () => {
    const interaction = await bot.discord.slashInDm("imagine", { prompt: "a paper boat", partials: 1 });
    const reply = await bot.finalReply(interaction);
    expect(reply.attachments[0]?.filename).toMatch(/_0\.png$/);
    expect(reply.content).toContain("a paper boat");
    const buttons = customIds(reply.components);
    expect(buttons.some((id) => id.startsWith("reroll:"))).toBe(true);
    expect(buttons.some((id) => id.startsWith("vary:"))).toBe(true);
    // The bot user is not in the DM: no thread can be opened there, and nothing went through its token.
    expect(buttons.some((id) => id.startsWith("refine:"))).toBe(false);
    expect(botTokenCallsOn(reply.channel_id)).toEqual([]);
    // A DM has no server: the run belongs to the person alone.
    expect((await runFor("a paper boat")).origin.user.workspace).toBeUndefined();
  });

  it("Vary and Re-roll pressed in a group DM answer through the webhook with the varied image", async () => {
    const interaction = await bot.discord.slashInDm(
      "imagine",
      { prompt: "a kite", partials: 0 },
      { group: true },
    );
    const result = await bot.finalReply(interaction);
    await bot.reset();
    const varied = await bot.finalReply(await press(result, "vary"));
    expect(varied.id).not.toBe(result.id);
    expect(varied.channel_id).toBe(result.channel_id);
    expect(bot.openai.requests.map((request) => request.path)).toEqual(["/v1/images/edits"]);
    const rerolled = await bot.finalReply(await press(result, "reroll"));
    expect(rerolled.content).toContain("a kite");
    expect(botTokenCallsOn(result.channel_id)).toEqual([]);
    // The other person in the group DM sees the result, but its buttons are the requester's.
    const vary = customIds(result.components).find((id) => id.startsWith("vary:")) ?? "";
    const theirs = await bot.discord.click(result, vary, bot.discord.otherUser);
    await waitFor("the refusal", () => theirs.callbackType);
    expect(theirs.callbackData).toMatchObject({
      content: "⚠️ Outside a server, only the person who asked for this image can use its buttons.",
      flags: 64,
    });
    expect(bot.openai.requests).toHaveLength(2);
  });

  it("/imagine in a server that did not add the bot, through the person's own install, ends in its image", async () => {
    const channelId = bot.discord.world.openForeignServerChannel();
    const interaction = await bot.discord.slash(
      "imagine",
      { prompt: "a borrowed room", partials: 1 },
      undefined,
      channelId,
    );
    expect(interaction.payload).toMatchObject({
      context: 0,
      authorizing_integration_owners: { "1": bot.discord.user.id },
    });
    const reply = await bot.finalReply(interaction);
    expect(reply.attachments[0]?.filename).toMatch(/_0\.png$/);
    expect(customIds(reply.components).some((id) => id.startsWith("refine:"))).toBe(false);
    expect(botTokenCallsOn(channelId)).toEqual([]);
    // That server's budgets and access lists apply to it, as to any server.
    expect((await runFor("a borrowed room")).origin.user.workspace).toBe(interaction.payload.guild_id);
  });

  it('"Edit image" on a DM result edits its stored original, the modal answered through the webhook', async () => {
    const result = await bot.finalReply(
      await bot.discord.slashInDm("imagine", { prompt: "a tin robot", partials: 0 }),
    );
    await bot.reset();
    const menu = await bot.discord.messageCommand("Edit image", result);
    await waitFor("the modal", () => menu.callbackType);
    expect(menu.callbackType).toBe(9);
    const submitted = await bot.discord.submitModal(
      String(menu.callbackData?.custom_id),
      { prompt: "give it a hat" },
      bot.discord.user,
      { channelId: result.channel_id },
    );
    const edited = await bot.finalReply(submitted);
    expect(edited.channel_id).toBe(result.channel_id);
    expect(bot.openai.requests.map((request) => request.path)).toEqual(["/v1/images/edits"]);
    expect(botTokenCallsOn(result.channel_id)).toEqual([]);
  });

  it("a DM job that outlives the interaction token ends as reply_expired, logged, never a crash", async () => {
    const stream = holdAfterPartials(bot.openai, 1);
    const interaction = await bot.discord.slashInDm("imagine", { prompt: "a long night", partials: 2 });
    await waitFor("the first frame", () =>
      bot.discord.original(interaction)?.attachments.some((file) => file.filename.startsWith("partial_")),
    );
    bot.discord.expireToken(interaction);
    stream.release();
    await bot.idle();
    // The bot token was never tried on a DM it is not in; the run says why its images were not shown.
    expect(botTokenCallsOn(bot.discord.original(interaction)?.channel_id ?? "")).toEqual([]);
    expect(await runFor("a long night")).toMatchObject({
      status: "delivery_failed",
      error: { code: "reply_expired" },
    });
    // The bot goes on serving.
    const next = await bot.discord.slashInDm("imagine", { prompt: "the morning after", partials: 0 });
    expect((await bot.finalReply(next)).attachments).toHaveLength(1);
  });

  it("a DM reply whose token's working life is over says why in its last edit, and the run is kept", async () => {
    const stream = holdAfterPartials(bot.openai, 1);
    // Made long ago: the token's Redis entry, which ends a little before Discord's 15 minutes, has seconds left.
    bot.discord.ageNextInteraction(INTERACTION_TOKEN_LIFETIME_MS - TOKEN_SAFETY_MARGIN_MS - 6_000);
    const interaction = await bot.discord.slashInDm("imagine", { prompt: "a slow tide", partials: 2 });
    const first = await waitFor("the first frame", () => {
      const message = bot.discord.original(interaction);
      return message?.attachments.some((file) => file.filename.startsWith("partial_")) ? message : undefined;
    });
    // Renderers stop using a token a little before Discord's 15 minutes: its Redis entry expiring is that moment.
    const key = `${bot.config.queuePrefix}:discord:interaction-token:${first.id}`;
    await waitFor(
      "the stored token's end",
      async () => (await bot.running.context.redis.exists(key)) === 0,
      20_000,
    );
    stream.release();
    await bot.idle();
    const shown = bot.discord.message(first.id);
    expect(shown.content).toBe(
      "⚠️ This private reply can't show the result: Discord lets me update it for 15 minutes only. The images are still made and kept.",
    );
    expect(shown.attachments).toEqual([]);
    expect(shown.components).toEqual([]);
    expect(await runFor("a slow tide")).toMatchObject({
      status: "delivery_failed",
      error: { code: "reply_expired" },
    });
    expect(botTokenCallsOn(first.channel_id)).toEqual([]);
  });
});

describe("private:true in a server", () => {
  it("answers only the person: an ephemeral reply holds the result, no public message is made", async () => {
    const before = new Set(bot.discord.world.messages.keys());
    const interaction = await bot.discord.slash("imagine", {
      prompt: "a secret garden",
      partials: 1,
      private: true,
    });
    const reply = await bot.finalReply(interaction);
    expect(interaction.callbackData).toMatchObject({ flags: 64 });
    expect(reply.flags & 64).toBe(64);
    expect(reply.attachments[0]?.filename).toMatch(/_0\.png$/);
    expect(customIds(reply.components).some((id) => id.startsWith("refine:"))).toBe(false);
    expect(publicBotMessages(bot.discord.channelId, before)).toEqual([]);
    // Every status, frame and the result went through the webhook, never the bot token.
    expect(botTokenCallsOn(bot.discord.channelId)).toEqual([]);
  });

  it("its buttons work: Vary stays private, Delete removes the ephemeral result through the webhook", async () => {
    const before = new Set(bot.discord.world.messages.keys());
    const result = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "a hidden door", partials: 0, private: true }),
    );
    const varied = await bot.finalReply(await press(result, "vary"));
    expect(varied.flags & 64).toBe(64);
    expect(publicBotMessages(bot.discord.channelId, before)).toEqual([]);
    const deleting = await press(result, "delete");
    await waitFor("the private result deleted", () => bot.discord.message(result.id).deleted);
    expect(deleting.callbackType).toBe(6);
    const deletion = requestsOfThisTest().find((request) => request.method === "DELETE");
    expect(decodeURIComponent(deletion?.path ?? "")).toContain(
      `/webhooks/${bot.discord.applicationId}/${deleting.token}/messages/@original`,
    );
  });

  it("Cancel on a private status stops its running job, shown in the ephemeral reply", async () => {
    const hold = holdAfterPartials(bot.openai, 1);
    const asked = await bot.discord.slash("imagine", { prompt: "a shy heron", partials: 2, private: true });
    const status = await waitFor("the first partial", () => {
      const reply = bot.discord.original(asked);
      return reply?.attachments.some((file) => file.filename.startsWith("partial_")) ? reply : undefined;
    });
    const click = await press(status, "cancel");
    await waitFor("Cancelled", () => bot.discord.original(asked)?.content.includes("Cancelled"));
    expect(click.callbackType).toBe(6);
    expect(bot.discord.original(asked)?.flags).toBe(64);
    await waitFor("the request aborted", () => bot.openai.requests[0]?.abortedByClient);
    hold.release();
    expect(botTokenCallsOn(bot.discord.channelId)).toEqual([]);
  });

  it("/edit takes private too", async () => {
    const interaction = await bot.discord.slash("edit", {
      prompt: "make it blue",
      image: { filename: "red.png", bytes: await solidPng(64, 64, "#c00") },
      private: true,
    });
    const reply = await bot.finalReply(interaction);
    expect(reply.flags & 64).toBe(64);
    expect(bot.openai.requests.map((request) => request.path)).toEqual(["/v1/images/edits"]);
  });

  it("a private request refused after its reply was deferred is still told why, privately", async () => {
    const before = new Set(bot.discord.world.messages.keys());
    // Only the file's bytes show it is no image: the reply was deferred before the download.
    const interaction = await bot.discord.slash("edit", {
      prompt: "make it blue",
      image: { filename: "red.png", bytes: Buffer.from("not an image at all") },
      private: true,
    });
    const told = await waitFor("the refusal", () => {
      const texts = [
        bot.discord.original(interaction)?.content,
        ...interaction.followupIds.map((id) => bot.discord.message(id).content),
      ];
      return texts.find((text) => text?.startsWith("⚠️"));
    });
    expect(told).toMatch(/image/);
    expect(publicBotMessages(bot.discord.channelId, before)).toEqual([]);
    expect(bot.openai.requests).toEqual([]);
  });
});
