import type { ChatInputCommandInteraction } from "discord.js";
import type { DiscordContext } from "../context.js";
import { submitInteraction } from "../intake.js";
import { asAttachment, rawOptions } from "./options.js";

/** `/imagine`: generate, or edit the one attached image. */
export async function handleImagine(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const raw = rawOptions(interaction.options.data);
  const image = asAttachment(raw.image);
  await submitInteraction(ctx, interaction, {
    kind: "options",
    raw,
    images: image ? [image] : [],
    mask: asAttachment(raw.mask),
  });
}
