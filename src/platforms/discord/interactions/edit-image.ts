import {
  ComponentType,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
  TextInputStyle,
} from "discord.js";
import { editImageCommand } from "../../../../commands/edit-image.js";
import { parseImagineOptions } from "../../../../commands/imagine.js";
import { varyRun } from "../../../actions/follow-ups.js";
import { isUserError } from "../../../core/errors.js";
import { LIMITS } from "../../../core/limits.js";
import type { DiscordContext } from "../context.js";
import type { AttachmentLike } from "../download.js";
import { answerPrivately, submitInteraction } from "../intake.js";
import { resultJobId } from "../result-job.js";

export const EDIT_IMAGE_MODAL = "edit-image";
const PROMPT_FIELD = "prompt";
/** The modal has to be answered within the interaction's lifetime; the pending images live as long. */
const PENDING_TTL_SECONDS = 15 * 60;

/** What the modal will edit: a bot result's stored originals, or another message's image attachments. */
interface Pending {
  jobId?: string;
  images?: AttachmentLike[];
}

const pendingKey = (ctx: DiscordContext, id: string) =>
  `${ctx.process.config.queuePrefix}:discord:edit-image:${id}`;

/** Image attachments of a message, as a context-menu target carries them (no MESSAGE_CONTENT needed). */
function imagesOf(interaction: MessageContextMenuCommandInteraction): AttachmentLike[] {
  return [...interaction.targetMessage.attachments.values()]
    .filter((attachment) => (attachment.contentType ?? "").startsWith("image/"))
    .slice(0, LIMITS.maxInputImages)
    .map(({ url, name, size }) => ({ url, name, size }));
}

/**
 * "Edit image" on a message: remembers its images (the modal submission does not carry them, and fetching
 * the message later would need MESSAGE_CONTENT) and asks for the prompt in a modal.
 */
export async function handleEditImageCommand(
  ctx: DiscordContext,
  interaction: MessageContextMenuCommandInteraction,
): Promise<void> {
  // A bot result: edit the originals in run storage, not the (maybe downscaled) copies shown in Discord.
  const jobId = resultJobId(interaction.targetMessage);
  const pending: Pending = jobId ? { jobId } : { images: imagesOf(interaction) };
  if (pending.images?.length === 0) {
    await interaction.reply({
      content: "⚠️ That message has no image to edit.",
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  await ctx.process.redis.set(
    pendingKey(ctx, interaction.id),
    JSON.stringify(pending),
    "EX",
    PENDING_TTL_SECONDS,
  );
  await interaction.showModal({
    custom_id: `${EDIT_IMAGE_MODAL}:${interaction.id}`,
    title: editImageCommand.name,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: PROMPT_FIELD,
            label: "How should the image change?",
            style: TextInputStyle.Paragraph,
            required: true,
            max_length: 4000,
          },
        ],
      },
    ],
  });
}

export async function handleEditImageModal(
  ctx: DiscordContext,
  interaction: ModalSubmitInteraction,
): Promise<void> {
  const id = interaction.customId.slice(EDIT_IMAGE_MODAL.length + 1);
  const stored = await ctx.process.redis.get(pendingKey(ctx, id));
  if (stored === null) {
    await interaction.reply({
      content: "⚠️ That edit waited too long; use Edit image on the message again.",
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const pending = JSON.parse(stored) as Pending;
  const prompt = interaction.fields.getTextInputValue(PROMPT_FIELD);
  if (pending.jobId !== undefined) {
    try {
      const followUp = await varyRun(ctx.process.runs, pending.jobId, { prompt });
      await submitInteraction(ctx, interaction, { kind: "follow-up", followUp });
    } catch (error) {
      if (!isUserError(error)) throw error;
      await answerPrivately(interaction, `⚠️ ${error.message}`);
    }
    return;
  }
  const options = parseImagineOptions({ prompt, image: pending.images ?? [] });
  await submitInteraction(ctx, interaction, { kind: "options", options });
}
