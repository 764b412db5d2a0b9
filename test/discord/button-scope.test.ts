import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeInteraction, FakeMessage } from "../fakes/discord/fake.js";
import { snowflake } from "../fakes/discord/snowflake.js";
import { customIds } from "../helpers/discord-result.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { runFolderSnapshot } from "../helpers/run-folder.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

const NOT_OURS = "⚠️ That button does not belong to any image of mine.";
const ELSEWHERE =
  "⚠️ That button belongs to an image made somewhere else; it works only where the image was made.";

let bot: DiscordBot;
let result: FakeMessage;
let jobId: string;
/** Another server's id: a forwarded message or a crafted interaction claims it. */
const otherGuild = snowflake();

beforeAll(async () => {
  bot = await startDiscordBot("discord-button-scope");
  result = await bot.finalReply(await bot.discord.slash("imagine", { prompt: "a tin robot", partials: 0 }));
  jobId = /job `([^`]+)`/.exec(result.content)?.[1] ?? "";
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

/** Every job BullMQ knows of, whatever its state: a click that queued something would add one. */
const jobCount = async () =>
  Object.values(await bot.running.context.queues.forKind("discord").getJobCounts()).reduce(
    (sum, count) => sum + count,
    0,
  );

/** The private answer to a click; a public reply (deferred, type 5) or an update would be work done. */
async function privateAnswer(click: FakeInteraction): Promise<string> {
  await waitFor("the answer to the click", () => click.callbackType);
  expect(click.callbackType).toBe(4);
  expect(click.callbackData?.flags).toBe(64);
  return String(click.callbackData?.content);
}

/** Clicks each id, expects `answer` privately for each, and that nothing was queued, deleted or written. */
async function expectRefused(
  ids: string[],
  answer: string,
  options: { by?: (typeof bot.discord)["user"]; from?: { guildId: string } } = {},
): Promise<void> {
  const folder = await runFolderSnapshot(bot.storageDir, jobId);
  const jobs = await jobCount();
  const channels = bot.discord.world.channels.size;
  for (const id of ids) {
    const click = await bot.discord.click(result, id, options.by, options.from);
    expect({ id, answer: await privateAnswer(click) }).toEqual({ id, answer });
  }
  await bot.idle();
  expect(await jobCount()).toBe(jobs);
  expect(bot.openai.requests).toHaveLength(0);
  expect(bot.discord.message(result.id).deleted).toBeFalsy();
  expect(bot.discord.world.channels.size).toBe(channels);
  expect(await runFolderSnapshot(bot.storageDir, jobId)).toEqual(folder);
}

describe("button ids", () => {
  it("a custom id that is none of ours is refused privately and does nothing", async () => {
    await expectRefused(
      [
        "reroll:../../etc",
        "delete:x",
        `details:../${jobId}`,
        `vary:${jobId}:again`,
        // Upper-case hex: never a run id (upper-casing the real id would be one when its hex is all digits).
        `refine:${jobId.slice(0, -8)}ABCDEF12`,
        "cancel:x",
        `launch:${jobId}`,
      ],
      NOT_OURS,
    );
  });
});

describe("buttons act only in the server where the run was made", () => {
  const actions = ["reroll", "vary", "details", "delete", "refine"];

  it("a click from another server is refused privately, for the requester too", async () => {
    const ids = actions.map((action) => `${action}:${jobId}`);
    await expectRefused(ids, ELSEWHERE, { from: { guildId: otherGuild } });
    await expectRefused(ids, ELSEWHERE, { from: { guildId: otherGuild }, by: bot.discord.otherUser });
  });

  it("in the server itself the same buttons still work", async () => {
    const details = await bot.discord.click(result, `details:${jobId}`, bot.discord.otherUser);
    await waitFor("details", () => details.callbackType);
    expect(details.callbackData?.embeds).toBeDefined();
  });

  it("Cancel from another server is refused, even for someone who administers that server", async () => {
    const hold = holdAfterPartials(bot.openai, 0);
    const asked = await bot.discord.slash("imagine", { prompt: "a slow tin robot", partials: 1 });
    await waitFor("the job at OpenAI", () => bot.openai.requests.length === 1);
    const status = await waitFor("the status with Cancel", () => {
      const reply = bot.discord.original(asked);
      return reply && customIds(reply.components).some((id) => id.startsWith("cancel:")) ? reply : undefined;
    });
    const cancel = customIds(status.components).find((id) => id.startsWith("cancel:")) ?? "";
    // The fake gives everyone Administrator: without the check, this would be an admin's cancel.
    const click = await bot.discord.click(status, cancel, bot.discord.otherUser, { guildId: otherGuild });
    expect(await privateAnswer(click)).toBe(ELSEWHERE);
    expect(bot.openai.requests[0]?.abortedByClient).toBeFalsy();
    expect(
      await bot.running.context.queues.forKind("discord").getJobState(cancel.slice("cancel:".length)),
    ).toBe("active");
    hold.release();
    bot.openai.pace(undefined);
    const done = await bot.finalReply(asked);
    expect(done.content).not.toContain("Cancelled");
  });
});
