import { type Message, Routes } from "discord.js";
import { checkAccess } from "../../access/access-list.js";
import { asUserError, isUserError, userError } from "../../core/errors.js";
import { refuseForgottenThread } from "../../forget/forgotten-thread.js";
import { refusalFields } from "../../log-safety.js";
import { messagePlace } from "./access.js";
import type { DiscordContext } from "./context.js";
import { NO_MENTIONS } from "./mentions.js";
import { imageAttachments, inputAttachments, promptOf, submitMessage } from "./message-intake.js";
import { resultJobId } from "./result-job.js";
import { threadAddress, threadSeed } from "./threads.js";

async function finalsOf(ctx: DiscordContext, jobId: string): Promise<string[]> {
  return (await ctx.process.runs.getMetadata(jobId)).finals;
}

/** The run a refinement thread was opened on; Delete or /forget may have removed it since. */
async function seedRun(ctx: DiscordContext, seed: string) {
  const metadata = await ctx.process.runs.findMetadata(seed);
  if (metadata === undefined) {
    throw userError("run_not_found", { wanted: "refine" });
  }
  return metadata;
}

/** A turn in a refinement thread: a Responses API call chained to the thread's (or the replied-to) turn. */
async function threadTurn(ctx: DiscordContext, message: Message, seed: string): Promise<void> {
  if (!message.guildId) return;
  const address = threadAddress(message.guildId, message.channelId);
  await refuseForgottenThread(ctx.process.threads, address);
  const repliedTo = message.reference?.messageId;
  const branch = repliedTo ? await ctx.process.threads.find(address, { messageId: repliedTo }) : undefined;
  const turns = await ctx.process.threads.turns(address);
  // The first turn starts from the result the thread was opened on; later turns chain by response id.
  const seeded = await seedRun(ctx, seed);
  const storedImageKeys = turns.length === 0 && branch === undefined ? seeded.finals : [];
  await submitMessage(ctx, message, {
    prompt: promptOf(message),
    extra: { api: "responses", model: seeded.request.model },
    storedImageKeys,
    attachments: inputAttachments(message),
    thread: { ...address, ...(branch ? { parentJobId: branch.jobId } : {}), mayAnswer: true },
  });
}

/** A reply to a message with images: an edit of those images plus the reply's own attachments. */
async function editByReply(ctx: DiscordContext, message: Message): Promise<void> {
  const referenced = await message.fetchReference().catch(() => undefined);
  if (referenced === undefined) return;
  const jobId = resultJobId(referenced);
  const storedImageKeys = jobId ? await finalsOf(ctx, jobId).catch(() => []) : [];
  const attachments = [
    ...(storedImageKeys.length > 0 ? [] : imageAttachments(referenced)),
    ...inputAttachments(message),
  ];
  if (storedImageKeys.length + attachments.length === 0) return;
  await submitMessage(ctx, message, { prompt: promptOf(message), storedImageKeys, attachments });
}

/**
 * A message cannot be answered privately: the bot replies to it (pinging no one) with the same sentence an
 * interaction would get, and the log gets the cause. Never throws.
 */
async function answerFailure(ctx: DiscordContext, message: Message, error: unknown): Promise<void> {
  const failure = asUserError(error);
  try {
    const where = { message: message.id, user: message.author.id };
    if (isUserError(error)) ctx.logger.info({ ...where, ...refusalFields(error) }, "message refused");
    else ctx.logger.error({ ...where, err: error }, "message handling failed");
    await ctx.rest.post(Routes.channelMessages(message.channelId), {
      body: {
        content: `⚠️ ${failure.message}`,
        message_reference: { message_id: message.id, fail_if_not_exists: false },
        allowed_mentions: NO_MENTIONS,
      },
    });
  } catch (answerError) {
    ctx.logger.warn({ err: answerError, message: message.id }, "failed message not answered");
  }
}

/**
 * Messages the bot acts on: those that mention it, or any message when MESSAGE_CONTENT is on (otherwise
 * Discord sends no content for them). In a bot thread each such message is a turn; elsewhere a reply to
 * an image is an edit. Never rejects (the gateway calls it as `void onMessage(…)`).
 *
 * Outside the access lists a message is ignored, unanswered: a message can only be answered in public, and a
 * public "not enabled here" in a channel the operator kept the bot out of is the noise they meant to avoid
 * (anyone could make the bot post it). The slash commands there still tell the person privately.
 */
export async function onMessage(ctx: DiscordContext, message: Message): Promise<void> {
  try {
    if (message.author.bot || message.system) return;
    const mentioned = message.mentions.users.has(message.client.user.id);
    if (!mentioned && !ctx.config.messageContent) return;
    const access = checkAccess(ctx.config.access, messagePlace(message));
    if (!access.allowed) {
      const where = { message: message.id, user: message.author.id, reason: access.reason };
      if (mentioned) ctx.logger.info(where, "mention ignored: not on the access lists");
      return;
    }
    const seed = message.channel.isThread() ? await threadSeed(ctx, message.channelId) : undefined;
    if (seed !== undefined) await threadTurn(ctx, message, seed);
    else if (message.reference?.messageId) await editByReply(ctx, message);
  } catch (error) {
    await answerFailure(ctx, message, error);
  }
}
