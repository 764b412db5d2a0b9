import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from "discord.js";
import type { blendCommand } from "../../../../commands/blend.js";
import type { ArgsOf } from "../../../../commands/types.js";
import { blendRun } from "../../../actions/blend-run.js";
import { blendOptions } from "../../../core/blend.js";
import { refuseNonImageFiles } from "../../../media/check-inputs.js";
import { type DiscordContext, personDefaults } from "../context.js";
import { submitInteraction } from "../intake.js";
import { resultJobId } from "../result-job.js";

/**
 * `/blend`: the images counted and their declared types checked before anything is deferred, fetched or
 * reserved; then an edit with every image through the intake.
 */
export async function handleBlend(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
  { image = [], ...args }: ArgsOf<typeof blendCommand>,
): Promise<void> {
  const options = blendOptions(args, image.length);
  refuseNonImageFiles(image);
  await submitInteraction(ctx, interaction, { kind: "options", options: { ...options, image } });
}

/**
 * "Blend images" on a message: a bot result's stored originals, or the message's image attachments (a
 * context-menu target carries them), blended at once.
 */
export async function handleBlendImagesCommand(
  ctx: DiscordContext,
  interaction: MessageContextMenuCommandInteraction,
): Promise<void> {
  const jobId = resultJobId(interaction.targetMessage);
  if (jobId !== undefined) {
    const defaults = await personDefaults(ctx, interaction.user.id);
    const followUp = await blendRun(ctx.process.runs, jobId, defaults);
    await submitInteraction(ctx, interaction, { kind: "follow-up", followUp });
    return;
  }
  const image = [...interaction.targetMessage.attachments.values()]
    .filter((attachment) => (attachment.contentType ?? "").startsWith("image/"))
    .map(({ url, name, size }) => ({ source: url, name, size }));
  const options = blendOptions({}, image.length);
  await submitInteraction(ctx, interaction, { kind: "options", options: { ...options, image } });
}
