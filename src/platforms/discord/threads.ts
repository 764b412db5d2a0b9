import { type ButtonInteraction, type Message, MessageFlags, Routes } from "discord.js";
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

/**
 * "Refine in thread": opens a thread on the result message (its id is the message's id) and remembers which
 * run it refines; each message there that mentions the bot becomes a Responses API turn. A result inside a
 * thread offers no such button (Discord has no thread in a thread); one from an older version there is
 * answered with how to continue that thread.
 */
export async function startRefinement(
  ctx: DiscordContext,
  interaction: ButtonInteraction,
  jobId: string,
): Promise<void> {
  const how = ctx.config.messageContent
    ? "Write what to change"
    : `Mention <@${interaction.client.user.id}> with what to change`;
  if (interaction.channel?.isThread()) {
    await interaction.reply({
      content: `This result is already in a thread, and Discord cannot open a thread in a thread. ${how} here; reply to an earlier result to branch from it.`,
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const message: Message = interaction.message;
  const threadId = message.id;
  if (!(await threadSeed(ctx, threadId))) {
    const prompt = (await ctx.process.runs.getMetadata(jobId)).prompt;
    await ctx.rest.post(Routes.threads(message.channelId, message.id), {
      body: { name: `Refine: ${prompt}`.slice(0, 100), auto_archive_duration: 1440 },
    });
    await ctx.process.redis.set(seedKey(ctx, threadId), jobId, "EX", SEED_TTL_SECONDS);
  }
  await interaction.reply({
    content: `Refine in <#${threadId}>. ${how}; reply to an earlier result there to branch from it.`,
    flags: MessageFlags.Ephemeral,
  });
}
