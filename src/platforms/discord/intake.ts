import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from "discord.js";
import type { FollowUp } from "../../actions/follow-ups.js";
import { operatorDefaults } from "../../config/load.js";
import type { ImagineOptions } from "../../core/imagine-options.js";
import type { AttachmentRef } from "../../core/option-schemas.js";
import type { IntakePort } from "../../intake/intake-port.js";
import type { IntakeRequest } from "../../intake/intake-request.js";
import { submitRequest } from "../../intake/submit-request.js";
import { cancelButtons } from "./buttons.js";
import type { DiscordContext } from "./context.js";
import { attachmentRef } from "./download.js";
import type { DiscordReplyInput } from "./reply-target.js";
import { progressContent, queuedStage } from "./result-message.js";

export type JobInteraction = ChatInputCommandInteraction | ModalSubmitInteraction | ButtonInteraction;

/** What a command, modal or button asks for: parsed options naming their attachments, or a ready follow-up. */
export type JobAsk = { kind: "options"; options: ImagineOptions } | { kind: "follow-up"; followUp: FollowUp };

/** Answers only the person who asked. */
export async function answerPrivately(interaction: JobInteraction, text: string): Promise<void> {
  if (interaction.deferred || interaction.replied) {
    await interaction.followUp({ content: text, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
  }
}

/** The reply a renderer edits: an interaction's public `@original`, deferred as `messageId`. */
export function interactionReply(interaction: JobInteraction, messageId: string): DiscordReplyInput {
  if (interaction.channelId === null) throw new Error("interaction has no channel");
  return {
    kind: "discord",
    applicationId: interaction.applicationId,
    channelId: interaction.channelId,
    messageId,
    ...(interaction.guildId ? { guildId: interaction.guildId } : {}),
    interaction: true,
    attachmentSizeLimit: interaction.attachmentSizeLimit,
    inThread: interaction.channel?.isThread() ?? false,
  };
}

/**
 * An interaction's part of the intake: its public reply is deferred as soon as the options pass (Discord
 * allows 3 s, downloads may take longer), becomes the "queued" status, and goes if nothing was queued.
 */
function interactionPort(ctx: DiscordContext, interaction: JobInteraction): IntakePort {
  let messageId: string | undefined;
  return {
    async accept() {
      const deferred = await interaction.deferReply({ withResponse: true });
      messageId = deferred.resource?.message?.id;
    },
    async postStatus({ request, position, runId }) {
      if (messageId === undefined || interaction.channelId === null)
        throw new Error("deferred reply has no message");
      await ctx.tokens.save(messageId, interaction.token, interaction.createdTimestamp);
      await interaction.editReply({
        content: progressContent(request.model, queuedStage(position), ""),
        components: cancelButtons(runId),
      });
      return { reply: interactionReply(interaction, messageId) };
    },
    async withdraw() {
      // The router then answers privately (the person's mistake) or says it went wrong on our side.
      if (interaction.deferred) await interaction.deleteReply().catch(() => undefined);
    },
  };
}

/** An attachment the options name, fetched from Discord's CDN once they pass. */
const cdnFile = (ctx: DiscordContext, file: AttachmentRef) =>
  attachmentRef({ url: file.source, name: file.name, size: file.size }, ctx.download);

/** A command, modal or button through the intake; the worker does the rest by editing the reply. */
export async function submitInteraction(
  ctx: DiscordContext,
  interaction: JobInteraction,
  ask: JobAsk,
): Promise<void> {
  const user = interaction.user.id;
  const where = interaction.guildId ? { workspace: interaction.guildId } : {};
  const followUp = ask.kind === "follow-up" ? ask.followUp : undefined;
  const request: IntakeRequest = {
    ask:
      ask.kind === "follow-up"
        ? { request: ask.followUp.request }
        : {
            options: ask.options,
            defaults: await ctx.settings.defaults(user, operatorDefaults(ctx.process.config.openai)),
          },
    images: ask.kind === "options" ? (ask.options.image ?? []).map((file) => cdnFile(ctx, file)) : [],
    mask: ask.kind === "options" && ask.options.mask ? cdnFile(ctx, ask.options.mask) : undefined,
    storedImageKeys: followUp?.storedImageKeys,
    storedMaskKey: followUp?.storedMaskKey,
    thread: followUp?.thread,
    user: { platform: "discord", id: user, ...where },
  };
  await submitRequest(ctx.process, request, interactionPort(ctx, interaction));
}
