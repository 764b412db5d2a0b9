import { type Message, Routes } from "discord.js";
import { isUserError } from "../../core/errors.js";
import { prepareInputs, refuseNonImageFiles } from "../../media/check-inputs.js";
import type { ThreadRef } from "../../queue/job-spec.js";
import { positionIfQueuedNow } from "../../queue/queue-position.js";
import { checkOptions, enqueueRun } from "../../queue/submit.js";
import type { DiscordContext } from "./context.js";
import { type AttachmentLike, downloadAttachment } from "./download.js";
import type { DiscordReplyInput } from "./reply-target.js";
import { progressContent, queuedStage } from "./result-message.js";

export interface MessageAsk {
  prompt: string;
  /** Options besides the prompt (e.g. `api: "responses"` in a thread). */
  extra?: Record<string, unknown>;
  /** Earlier results in run storage (the image replied to, a thread's first result). */
  storedImageKeys: string[];
  /** Files to download from Discord's CDN. */
  attachments: AttachmentLike[];
  thread?: ThreadRef;
}

/** Image attachments of a message, in order; other files are skipped (someone else's message, being edited). */
export function imageAttachments(message: Message): AttachmentLike[] {
  return [...message.attachments.values()]
    .filter((attachment) => (attachment.contentType ?? "").startsWith("image/"))
    .map(({ url, name, size }) => ({ url, name, size }));
}

/** The attachments of the person's own message, all meant as inputs: a file that is no image is refused. */
export function inputAttachments(message: Message): AttachmentLike[] {
  refuseNonImageFiles([...message.attachments.values()]);
  return imageAttachments(message);
}

/** The text of a message without the bot's mention. */
export function promptOf(message: Message): string {
  return message.content.replace(new RegExp(`<@!?${message.client.user.id}>`, "g"), "").trim();
}

/**
 * A job asked for by a message (a reply to an image, a turn in a refinement thread): there is no
 * interaction, so the bot answers with its own reply message and the worker edits that with the bot token.
 * Mistakes are said in that reply (a message cannot be answered privately).
 */
export async function submitMessageJob(
  ctx: DiscordContext,
  message: Message,
  ask: MessageAsk,
): Promise<void> {
  const imageCount = ask.storedImageKeys.length + ask.attachments.length;
  const say = (content: string) =>
    ctx.rest.post(Routes.channelMessages(message.channelId), {
      body: { content, message_reference: { message_id: message.id }, allowed_mentions: { parse: [] } },
    }) as Promise<{ id: string }>;
  let posted: { id: string } | undefined;
  try {
    const request = checkOptions(
      { prompt: ask.prompt, ...ask.extra },
      { imageCount, hasMask: false },
      await ctx.settings.defaults(message.author.id, ctx.process.config.openai.defaultImageModel),
    );
    // Said before enqueueing, with the position: once queued, only the worker edits this message.
    const position = await positionIfQueuedNow(ctx.process.queue);
    posted = await say(progressContent(request.model, queuedStage(position), ""));
    const files = [];
    for (const attachment of ask.attachments) files.push(await downloadAttachment(attachment, ctx.download));
    const inputs = await prepareInputs(files);
    const reply: DiscordReplyInput = {
      kind: "discord",
      applicationId: message.client.application?.id ?? message.client.user.id,
      channelId: message.channelId,
      messageId: posted.id,
      ...(message.guildId ? { guildId: message.guildId } : {}),
      inThread: message.channel.isThread(),
    };
    await enqueueRun(
      ctx.process.queue,
      ctx.process.runs,
      {
        request,
        inputs,
        storedImageKeys: ask.storedImageKeys,
        ...(ask.thread ? { thread: ask.thread } : {}),
        user: {
          platform: "discord",
          id: message.author.id,
          ...(message.guildId ? { workspace: message.guildId } : {}),
        },
        reply,
      },
      ctx.process.limits,
    );
  } catch (error) {
    if (!isUserError(error)) {
      // Nothing was queued, so nothing will edit the status: it goes, and the caller answers for the failure.
      if (posted)
        await ctx.rest.delete(Routes.channelMessage(message.channelId, posted.id)).catch(() => undefined);
      throw error;
    }
    const content = `⚠️ ${error.message}`;
    if (posted)
      await ctx.rest.patch(Routes.channelMessage(message.channelId, posted.id), { body: { content } });
    else await say(content);
  }
}
