import { type Message, Routes } from "discord.js";
import type { ThreadRef } from "../../core/job-spec.js";
import type { IntakePort } from "../../intake/intake-port.js";
import { submitRequest } from "../../intake/submit-request.js";
import { refuseNonImageFiles } from "../../media/check-inputs.js";
import { cancelButtons } from "./buttons.js";
import { type DiscordContext, personDefaults } from "./context.js";
import { type AttachmentLike, attachmentRef } from "./download.js";
import { NO_MENTIONS } from "./mentions.js";
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
 * A message's part of the intake: there is no interaction, so the status is the bot's own reply to the
 * message, posted just before the job is queued and edited by the worker with the bot token. A refusal is
 * said in a reply too (`messages.ts`): a message cannot be answered privately.
 */
function messagePort(ctx: DiscordContext, message: Message): IntakePort {
  let posted: string | undefined;
  return {
    replyKind: "discord",
    async postStatus({ request, position, runId }) {
      const body = {
        content: progressContent(request.model, queuedStage(position), ""),
        components: cancelButtons(runId),
        message_reference: { message_id: message.id },
        allowed_mentions: NO_MENTIONS,
      };
      const { id } = (await ctx.rest.post(Routes.channelMessages(message.channelId), { body })) as {
        id: string;
      };
      posted = id;
      return {
        reply: {
          kind: "discord",
          applicationId: message.client.application?.id ?? message.client.user.id,
          channelId: message.channelId,
          messageId: id,
          ...(message.guildId ? { guildId: message.guildId } : {}),
          inThread: message.channel.isThread(),
        },
      };
    },
    async withdraw() {
      if (posted)
        await ctx.rest.delete(Routes.channelMessage(message.channelId, posted)).catch(() => undefined);
    },
  };
}

/** A job asked for by a message (a reply to an image, a turn in a refinement thread), through the intake. */
export async function submitMessage(ctx: DiscordContext, message: Message, ask: MessageAsk): Promise<void> {
  const user = message.author.id;
  const defaults = await personDefaults(ctx, user);
  await submitRequest(
    ctx.process,
    {
      ask: { raw: { prompt: ask.prompt, ...ask.extra }, defaults },
      images: ask.attachments.map((file) => attachmentRef(file, ctx.download)),
      storedImageKeys: ask.storedImageKeys,
      thread: ask.thread,
      user: { platform: "discord", id: user, ...(message.guildId ? { workspace: message.guildId } : {}) },
    },
    messagePort(ctx, message),
  );
}
