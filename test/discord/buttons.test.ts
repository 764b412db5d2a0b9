import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/discord/fake.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
/** The result Re-roll, Vary and Details click on; none of them changes it. */
let result: FakeMessage;
let jobId: string;
/** A result of its own for Delete, so the other tests find theirs whatever the order. */
let doomed: FakeMessage;
let doomedJobId: string;

const jobIdOf = (message: FakeMessage) => /job `([^`]+)`/.exec(message.content)?.[1] ?? "";

beforeAll(async () => {
  bot = await startDiscordBot("discord-buttons");
  result = await bot.finalReply(
    await bot.discord.slash("imagine", { prompt: "a red fox in snow", partials: 0 }),
  );
  jobId = jobIdOf(result);
  doomed = await bot.finalReply(await bot.discord.slash("imagine", { prompt: "a grey owl", partials: 0 }));
  doomedJobId = jobIdOf(doomed);
  // Buttons carry only `action:jobId`: a new bot process must serve them.
  await bot.restart();
  await bot.discord.waitForBot();
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

describe("result buttons after a restart of the bot process", () => {
  it("Re-roll runs the same request again into a new reply", async () => {
    const click = await bot.discord.click(result, `reroll:${jobId}`);
    const reply = await bot.finalReply(click);
    expect(reply.id).not.toBe(result.id);
    expect(reply.content).toContain("a red fox in snow");
    expect(jobIdOf(reply)).not.toBe(jobId);
    expect(bot.openai.requests).toHaveLength(1);
    expect(bot.openai.requests[0]?.path).toBe("/v1/images/generations");
  });

  it("Vary edits the result image", async () => {
    const click = await bot.discord.click(result, `vary:${jobId}`);
    await bot.finalReply(click);
    expect(bot.openai.requests[0]?.path).toBe("/v1/images/edits");
  });

  it("Details answers only the clicker, with the parameters sent and usage", async () => {
    const click = await bot.discord.click(result, `details:${jobId}`, bot.discord.otherUser);
    await waitFor("details", () => click.callbackType);
    expect(click.callbackData?.flags).toBe(64);
    const embed = (click.callbackData?.embeds as { title: string; description: string }[] | undefined)?.[0];
    expect(embed?.title).toContain(jobId);
    expect(embed?.description).toContain("Parameters sent");
    expect(embed?.description).toContain('"prompt": "a red fox in snow"');
  });

  it("Delete is for the requester only", async () => {
    const refused = await bot.discord.click(doomed, `delete:${doomedJobId}`, bot.discord.otherUser);
    await waitFor("refusal", () => refused.callbackType);
    expect(refused.callbackData).toMatchObject({ flags: 64 });
    expect(bot.discord.message(doomed.id).deleted).toBeFalsy();
    const accepted = await bot.discord.click(doomed, `delete:${doomedJobId}`);
    await waitFor("deletion", () => bot.discord.message(doomed.id).deleted);
    expect(accepted.callbackType).toBe(6);
    expect(bot.discord.message(result.id).deleted).toBeFalsy();
  });
});
