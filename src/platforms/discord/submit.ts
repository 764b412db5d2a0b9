import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from "discord.js";
import { isUserError } from "../../core/errors.js";
import type { ImageRequest } from "../../core/request.js";
import { prepareInputs, type RawFile } from "../../media/check-inputs.js";
import type { FollowUp } from "../../queue/follow-ups.js";
import { positionIfQueuedNow } from "../../queue/queue-position.js";
import { checkOptions, enqueueRun } from "../../queue/submit.js";
import type { DiscordContext } from "./context.js";
import { type AttachmentLike, downloadAttachment } from "./download.js";
import type { DiscordReplyInput } from "./reply-target.js";
import { progressContent, queuedStage } from "./result-message.js";

export type JobInteraction = ChatInputCommandInteraction | ModalSubmitInteraction | ButtonInteraction;

/** What a command, modal or button asks for: raw options and attachments, or a ready follow-up. */
export type JobAsk =
  | {
      kind: "options";
      raw: Record<string, unknown>;
      images: AttachmentLike[];
      mask?: AttachmentLike | undefined;
    }
  | { kind: "follow-up"; followUp: FollowUp };

/** Answers only the person who asked; used for every validation error. */
export async function answerPrivately(interaction: JobInteraction, text: string): Promise<void> {
  if (interaction.deferred || interaction.replied) {
    await interaction.followUp({ content: text, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
  }
}

async function download(ctx: DiscordContext, files: AttachmentLike[]): Promise<RawFile[]> {
  const out: RawFile[] = [];
  for (const file of files) out.push(await downloadAttachment(file, ctx.download));
  return out;
}

/**
 * The adapter's whole job for one request, cheapest first: check the options (answering mistakes privately,
 * with nothing downloaded or sent to OpenAI), defer the public reply within Discord's 3 s, download and check
 * the files, enqueue, and say "queued". The worker does the rest by editing that reply.
 */
export async function submitJob(
  ctx: DiscordContext,
  interaction: JobInteraction,
  ask: JobAsk,
): Promise<void> {
  const user = interaction.user.id;
  let request: ImageRequest;
  try {
    request =
      ask.kind === "follow-up"
        ? ask.followUp.request
        : checkOptions(
            ask.raw,
            { imageCount: ask.images.length, hasMask: ask.mask !== undefined },
            await ctx.settings.defaults(user, ctx.process.config.openai.defaultImageModel),
          );
  } catch (error) {
    if (!isUserError(error)) throw error;
    return answerPrivately(interaction, `⚠️ ${error.message}`);
  }

  const deferred = await interaction.deferReply({ withResponse: true });
  try {
    const messageId = deferred.resource?.message?.id;
    if (messageId === undefined || interaction.channelId === null)
      throw new Error("deferred reply has no message");
    const inputs =
      ask.kind === "follow-up"
        ? ask.followUp.inputs
        : await prepareInputs(
            await download(ctx, ask.images),
            ask.mask ? (await download(ctx, [ask.mask]))[0] : undefined,
          );
    const reply: DiscordReplyInput = {
      kind: "discord",
      applicationId: interaction.applicationId,
      channelId: interaction.channelId,
      messageId,
      ...(interaction.guildId ? { guildId: interaction.guildId } : {}),
      interaction: true,
      attachmentSizeLimit: interaction.attachmentSizeLimit,
      inThread: interaction.channel?.isThread() ?? false,
    };
    await ctx.tokens.save(messageId, interaction.token, interaction.createdTimestamp);
    // Said before enqueueing: once queued, the worker's edits must not be overwritten by this one.
    const position = await positionIfQueuedNow(ctx.process.queue);
    await interaction.editReply({ content: progressContent(request.model, queuedStage(position), "") });
    const followUp = ask.kind === "follow-up" ? ask.followUp : undefined;
    await enqueueRun(
      ctx.process.queue,
      ctx.process.runs,
      {
        request,
        inputs,
        ...(followUp?.storedImageKeys ? { storedImageKeys: followUp.storedImageKeys } : {}),
        ...(followUp?.storedMaskKey ? { storedMaskKey: followUp.storedMaskKey } : {}),
        ...(followUp?.thread ? { thread: followUp.thread } : {}),
        user: {
          platform: "discord",
          id: user,
          ...(interaction.guildId ? { workspace: interaction.guildId } : {}),
        },
        reply,
      },
      ctx.process.limits,
    );
  } catch (error) {
    // Nothing was queued, so nothing will ever edit the public reply: it goes, and the person learns why
    // privately (their mistake here, anything else from the router).
    await interaction.deleteReply().catch(() => undefined);
    if (!isUserError(error)) throw error;
    await interaction.followUp({ content: `⚠️ ${error.message}`, flags: MessageFlags.Ephemeral });
  }
}

/** The status line of a job not yet taken by a worker. */
