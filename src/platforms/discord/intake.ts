import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from "discord.js";
import type { FollowUp } from "../../actions/follow-ups.js";
import { describeRequest } from "../../actions/studio-runs.js";
import type { ImagineOptions } from "../../core/imagine-options.js";
import type { AttachmentRef } from "../../core/option-schemas.js";
import type { IntakePort } from "../../intake/intake-port.js";
import type { IntakeRequest } from "../../intake/intake-request.js";
import { submitRequest } from "../../intake/submit-request.js";
import { cancelButtons } from "./buttons.js";
import { type DiscordContext, personDefaults } from "./context.js";
import { attachmentRef } from "./download.js";
import { pressedOnEphemeral, webhookOnly } from "./install.js";
import { type DiscordReplyInput, DiscordReplySchema } from "./reply-target.js";
import { progressContent, queuedStage, statusModel } from "./result-message.js";

/** A gallery's select of one action (which image) starts a job as a button does. */
export type JobInteraction =
  | ChatInputCommandInteraction
  | MessageContextMenuCommandInteraction
  | ModalSubmitInteraction
  | ButtonInteraction
  | StringSelectMenuInteraction;

/** What a command, modal or button asks for: parsed options naming their attachments, or a ready follow-up. */
/** What a command, modal or button asks for; a follow-up says whether what it makes is private (`followUpIsPrivate`). */
export type JobAsk =
  | { kind: "options"; options: ImagineOptions }
  | { kind: "follow-up"; followUp: FollowUp; privately?: boolean; markup?: AttachmentRef }
  | { kind: "describe"; image: AttachmentRef; privately: boolean };

/**
 * Answers only the person who asked, whatever state the interaction is in: a reply if nothing was sent yet,
 * the private deferral edited, else a follow-up. A public "thinking…" never edited is withdrawn first, as nothing
 * will ever edit it; a press's `deferUpdate` (`ephemeral` null) is the pressed message, and stays.
 */
export async function answerPrivately(interaction: RepliableInteraction, text: string): Promise<void> {
  if (interaction.deferred && !interaction.replied && interaction.ephemeral) {
    await interaction.editReply({ content: text });
    return;
  }
  if (interaction.deferred && !interaction.replied && interaction.ephemeral === false)
    await interaction.deleteReply().catch(() => undefined);
  if (interaction.deferred || interaction.replied) {
    await interaction.followUp({ content: text, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
  }
}

/**
 * The reply a renderer edits: an interaction's `@original`, deferred as `messageId`; `webhookOnly` when the bot
 * token cannot reach it (`install.ts`).
 */
export function interactionReply(
  interaction: JobInteraction,
  messageId: string,
  webhookOnly: boolean,
  ephemeral = false,
): DiscordReplyInput {
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
    webhookOnly,
    ephemeral,
  };
}

/**
 * An interaction's part of the intake: its reply is deferred as soon as the options pass (Discord allows 3 s,
 * downloads may take longer), or before anything else in a burst (`submitInteraction`); it becomes the "queued"
 * status, and goes if nothing was queued. A private reply is deferred ephemeral: only the person sees it, and
 * only the interaction's webhook edits it. Deferring twice is deferring once.
 */
function interactionPort(ctx: DiscordContext, interaction: JobInteraction, privately: boolean): IntakePort {
  let accepted: Promise<void> | undefined;
  let statusShown = false;
  const accept = async () => {
    // Without the message (`withResponse`): the status edit below answers with it, and every byte and object
    // less on a deferral is a faster acknowledgement in a burst.
    await interaction.deferReply(privately ? { flags: MessageFlags.Ephemeral } : {});
    await ctx.acks.afterEarlier(interaction, (earlier) =>
      ctx.logger.debug({ interaction: interaction.id, earlier }, "deferred; waiting for earlier deferrals"),
    );
  };
  return {
    replyKind: "discord",
    accept() {
      accepted ??= accept();
      return accepted;
    },
    async postStatus(status) {
      const { position, runId } = status;
      if (!interaction.deferred || interaction.channelId === null) throw new Error("reply not deferred");
      const message = await interaction.editReply({
        content: progressContent(statusModel(status), queuedStage(position), ""),
        components: cancelButtons(runId),
      });
      statusShown = true;
      const onlyWebhook = webhookOnly(interaction, privately);
      await ctx.tokens.save(message.id, interaction.token, interaction.createdTimestamp, {
        webhookOnly: onlyWebhook,
      });
      return { reply: interactionReply(interaction, message.id, onlyWebhook, privately) };
    },
    async withdraw() {
      // The router then answers privately (the person's mistake) or says it went wrong on our side: in the
      // private deferred reply itself, which only the person sees, or apart once the public one is gone. A
      // private "queued" status shown for a job that was not queued goes too.
      if (interaction.deferred && (!privately || statusShown))
        await interaction.deleteReply().catch(() => undefined);
    },
  };
}

/**
 * Whether what a press makes is private: the run's own reply was (`ephemeral`), or the press was made on a
 * private message that is not a confirmation (Finalize's quote is private whatever the result it quotes).
 */
export async function followUpIsPrivate(
  ctx: DiscordContext,
  interaction: JobInteraction,
  press: { runId: string; confirmation: boolean },
): Promise<boolean> {
  if (pressedOnEphemeral(interaction) && !press.confirmation) return true;
  const reply = DiscordReplySchema.safeParse(
    (await ctx.process.runs.findMetadata(press.runId))?.origin.reply,
  );
  return reply.success && reply.data.ephemeral;
}

/** An attachment the options name, fetched from Discord's CDN once they pass. */
const cdnFile = (ctx: DiscordContext, file: AttachmentRef) =>
  attachmentRef({ url: file.source, name: file.name, size: file.size }, ctx.download);

/** The markup a person uploaded: an option of `/edit`, or a file of the Edit image form beside a follow-up. */
const markupOf = (ask: JobAsk): AttachmentRef | undefined => {
  if (ask.kind === "options") return ask.options.markup;
  return ask.kind === "follow-up" ? ask.markup : undefined;
};

/** A command, modal or button through the intake; the worker does the rest by editing the reply. */
export async function submitInteraction(
  ctx: DiscordContext,
  interaction: JobInteraction,
  ask: JobAsk,
): Promise<void> {
  // `private:true`, or a press on a private result: what it makes is private too.
  const privately =
    ask.kind === "options"
      ? ask.options.private === true
      : ask.kind === "describe"
        ? ask.privately
        : (ask.privately ?? pressedOnEphemeral(interaction));
  const port = interactionPort(ctx, interaction, privately);
  // In a burst, every deferral goes before this one's settings and checks (`intake/acks-first.ts`); then a
  // mistake in the options withdraws a public "thinking…" before it is answered privately.
  if (ctx.acks.othersWaiting(interaction)) await port.accept?.();
  const user = interaction.user.id;
  const where = interaction.guildId ? { workspace: interaction.guildId } : {};
  const followUp = ask.kind === "follow-up" ? ask.followUp : undefined;
  const defaults = () => personDefaults(ctx, user);
  const markup = markupOf(ask);
  const request: IntakeRequest = {
    ask:
      ask.kind === "follow-up"
        ? { request: ask.followUp.request }
        : ask.kind === "describe"
          ? { request: describeRequest(await defaults()) }
          : { options: ask.options, defaults: await defaults() },
    images:
      ask.kind === "options"
        ? (ask.options.image ?? []).map((file) => cdnFile(ctx, file))
        : ask.kind === "describe"
          ? [cdnFile(ctx, ask.image)]
          : [],
    mask: ask.kind === "options" && ask.options.mask ? cdnFile(ctx, ask.options.mask) : undefined,
    storedImageKeys: followUp?.storedImageKeys,
    storedMaskKey: followUp?.storedMaskKey,
    markup: markup ? cdnFile(ctx, markup) : undefined,
    storedMarkupKey: followUp?.storedMarkupKey,
    thread: followUp?.thread,
    user: { platform: "discord", id: user, ...where },
    ...(ask.kind === "describe"
      ? { kind: "describe" as const }
      : followUp?.kind
        ? { kind: followUp.kind }
        : {}),
  };
  await submitRequest(ctx.process, request, port);
}
