import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/discord/fake.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
let result: FakeMessage;
let jobId: string;

beforeAll(async () => {
  bot = await startDiscordBot("discord-buttons");
  const interaction = await bot.discord.slash("imagine", { prompt: "a red fox in snow", partials: 0 });
  result = await bot.finalReply(interaction);
  jobId = /job `([^`]+)`/.exec(result.content)?.[1] ?? "";
  // Buttons carry only `action:jobId`: a new bot process must serve them.
  await bot.restart();
  await bot.discord.waitForBot();
});
afterAll(() => bot.close());

describe("result buttons after a restart of the bot process", () => {
  it("Re-roll runs the same request again into a new reply", async () => {
    bot.openai.reset();
    const click = await bot.discord.click(result, `reroll:${jobId}`);
    const reply = await bot.finalReply(click);
    expect(reply.id).not.toBe(result.id);
    expect(reply.content).toContain("a red fox in snow");
    expect(/job `([^`]+)`/.exec(reply.content)?.[1]).not.toBe(jobId);
    expect(bot.openai.requests).toHaveLength(1);
    expect(bot.openai.requests[0]?.path).toBe("/v1/images/generations");
  });

  it("Vary edits the result image", async () => {
    bot.openai.reset();
    const click = await bot.discord.click(result, `vary:${jobId}`);
    await bot.finalReply(click);
    expect(bot.openai.requests[0]?.path).toBe("/v1/images/edits");
  });

  it("Details answers only the clicker, with the parameters sent and usage", async () => {
    const click = await bot.discord.click(result, `details:${jobId}`, bot.discord.otherUser);
    await bot.discord.waitFor(() => click.callbackType, 5000, "details");
    expect(click.callbackData?.flags).toBe(64);
    const embed = (click.callbackData?.embeds as { title: string; description: string }[] | undefined)?.[0];
    expect(embed?.title).toContain(jobId);
    expect(embed?.description).toContain("Parameters sent");
    expect(embed?.description).toContain('"prompt": "a red fox in snow"');
  });

  it("Delete is for the requester only", async () => {
    const refused = await bot.discord.click(result, `delete:${jobId}`, bot.discord.otherUser);
    await bot.discord.waitFor(() => refused.callbackType, 5000, "refusal");
    expect(refused.callbackData).toMatchObject({ flags: 64 });
    expect(bot.discord.message(result.id).deleted).toBeFalsy();
    const accepted = await bot.discord.click(result, `delete:${jobId}`);
    await bot.discord.waitFor(() => bot.discord.message(result.id).deleted, 5000, "deletion");
    expect(accepted.callbackType).toBe(6);
  });
});
