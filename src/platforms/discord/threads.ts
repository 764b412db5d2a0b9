import { type Message, Routes } from "discord.js";
import type { ThreadAddress } from "../../stores/threads.js";
import type { DiscordContext } from "./context.js";

/** How long a refinement thread remembers the result it started from (OpenAI keeps responses 30 days). */
const SEED_TTL_SECONDS = 30 * 24 * 60 * 60;

export const seedKey = (ctx: DiscordContext, threadId: string) =>
  `${ctx.process.config.queuePrefix}:discord:thread-seed:${threadId}`;

export function threadAddress(guildId: string, threadId: string): ThreadAddress {
  return { platform: "discord", workspace: guildId, thread: threadId };
}

/** The result a bot thread refines, or undefined for threads the bot did not start. */
export async function threadSeed(ctx: DiscordContext, threadId: string): Promise<string | undefined> {
  return (await ctx.process.redis.get(seedKey(ctx, threadId))) ?? undefined;
}

/** How a person goes on in a refinement thread: with the message content intent, any message will do. */
export function refineHow(ctx: DiscordContext, botUserId: string): string {
  return ctx.config.messageContent ? "Write what to change" : `Mention <@${botUserId}> with what to change`;
}

/**
 * Opens a thread on a result message (its id is the message's id) and remembers which run it refines; each
 * message there that mentions the bot becomes a Responses API turn (`actions/refine.ts` answers the press).
 * @returns the thread's id; a thread already opened on the message is reused.
 */
export async function openRefinementThread(
  ctx: DiscordContext,
  message: Pick<Message, "id" | "channelId">,
  jobId: string,
): Promise<string> {
  const threadId = message.id;
  if (!(await threadSeed(ctx, threadId))) {
    const prompt = (await ctx.process.runs.getMetadata(jobId)).prompt;
    await ctx.rest.post(Routes.threads(message.channelId, message.id), {
      body: { name: `Refine: ${prompt}`.slice(0, 100), auto_archive_duration: 1440 },
    });
    await ctx.process.redis.set(seedKey(ctx, threadId), jobId, "EX", SEED_TTL_SECONDS);
  }
  return threadId;
}
