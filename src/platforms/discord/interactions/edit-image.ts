import {
  type APILabelComponent,
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
import { MODELS } from "../../../core/models.js";
import type { AttachmentRef } from "../../../core/option-schemas.js";
import { type DiscordContext, personDefaults } from "../context.js";
import type { AttachmentLike } from "../download.js";
import { answerPrivately, submitInteraction } from "../intake.js";
import { resultJobId } from "../result-job.js";

export const EDIT_IMAGE_MODAL = "edit-image";
const PROMPT_FIELD = "prompt";
const MARKUP_FIELD = "markup";
/** The modal has to be answered within the interaction's lifetime; the pending images live as long. */
const PENDING_TTL_SECONDS = 15 * 60;

/** What the modal will edit: a bot result's stored originals, or another message's image attachments. */
interface Pending {
  jobId?: string;
  images?: AttachmentLike[];
}

const pendingKey = (ctx: DiscordContext, id: string) =>
  `${ctx.process.config.queuePrefix}:discord:edit-image:${id}`;

/**
 * Whether the edit's model takes a markup (the model table): the result's own model for a bot result (a
 * variation keeps it), else the person's default. The form offers the upload only then.
 */
async function takesMarkup(
  ctx: DiscordContext,
  interaction: MessageContextMenuCommandInteraction,
  jobId?: string,
) {
  const model =
    jobId === undefined
      ? (await personDefaults(ctx, interaction.user.id)).model
      : (await ctx.process.runs.findMetadata(jobId))?.request.model;
  return model !== undefined && MODELS.get(model)?.markup === true;
}

/** The form's optional markup: Discord's file upload in a label, one PNG at most. */
const MARKUP_UPLOAD: APILabelComponent = {
  type: ComponentType.Label,
  label: "Markup (optional)",
  description: "A transparent PNG of arrows, circles and notes drawn over the image, at its size",
  component: {
    type: ComponentType.FileUpload,
    custom_id: MARKUP_FIELD,
    min_values: 0,
    max_values: 1,
    // The picker shows images only; that it is a PNG with transparency is checked once it is uploaded.
    file_types: ["image"],
    required: false,
  },
};

/** The file put in the form's markup upload, if the form had one and a file was put there. */
function uploadedMarkup(interaction: ModalSubmitInteraction): AttachmentRef | undefined {
  if (!interaction.fields.fields.has(MARKUP_FIELD)) return undefined;
  const file = interaction.fields.getUploadedFiles(MARKUP_FIELD)?.first();
  if (file === undefined) return undefined;
  return {
    source: file.url,
    name: file.name,
    size: file.size,
    ...(file.contentType ? { contentType: file.contentType } : {}),
  };
}

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
      ...((await takesMarkup(ctx, interaction, jobId)) ? [MARKUP_UPLOAD] : []),
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
  const markup = uploadedMarkup(interaction);
  if (pending.jobId !== undefined) {
    try {
      const followUp = await varyRun(ctx.process.runs, pending.jobId, {
        prompt,
        markup: markup !== undefined,
      });
      await submitInteraction(ctx, interaction, {
        kind: "follow-up",
        followUp,
        ...(markup ? { markup } : {}),
      });
    } catch (error) {
      if (!isUserError(error)) throw error;
      await answerPrivately(interaction, `⚠️ ${error.message}`);
    }
    return;
  }
  const options = parseImagineOptions({ prompt, image: pending.images ?? [], ...(markup ? { markup } : {}) });
  await submitInteraction(ctx, interaction, { kind: "options", options });
}
