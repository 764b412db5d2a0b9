import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from "discord.js";
import type { blendCommand } from "../../../../commands/blend.js";
import type { ArgsOf } from "../../../../commands/types.js";
import { blendOptions } from "../../../core/blend.js";
import { refuseNonImageFiles } from "../../../media/check-inputs.js";
import type { DiscordContext } from "../context.js";
import { submitInteraction } from "../intake.js";

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

/** "Blend images" on a message: its image attachments (a context-menu target carries them), blended at once. */
export async function handleBlendImagesCommand(
  ctx: DiscordContext,
  interaction: MessageContextMenuCommandInteraction,
): Promise<void> {
  const image = [...interaction.targetMessage.attachments.values()]
    .filter((attachment) => (attachment.contentType ?? "").startsWith("image/"))
    .map(({ url, name, size }) => ({ source: url, name, size }));
  const options = blendOptions({}, image.length);
  await submitInteraction(ctx, interaction, { kind: "options", options: { ...options, image } });
}
