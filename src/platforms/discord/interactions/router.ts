import { type Interaction, MessageFlags } from "discord.js";
import { EDIT_IMAGE_COMMAND } from "../commands/edit-image.js";
import type { DiscordContext } from "../context.js";
import { handleAutocomplete } from "./autocomplete.js";
import { handleButton } from "./buttons.js";
import { handleEdit } from "./edit.js";
import { EDIT_IMAGE_MODAL, handleEditImageCommand, handleEditImageModal } from "./edit-image.js";
import { handleImagine } from "./imagine.js";
import { handleSettings } from "./settings.js";

async function route(ctx: DiscordContext, interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) return handleAutocomplete(interaction);
  if (interaction.isChatInputCommand()) {
    if (interaction.commandName === "imagine") return handleImagine(ctx, interaction);
    if (interaction.commandName === "edit") return handleEdit(ctx, interaction);
    if (interaction.commandName === "settings") return handleSettings(ctx, interaction);
  }
  if (interaction.isMessageContextMenuCommand() && interaction.commandName === EDIT_IMAGE_COMMAND) {
    return handleEditImageCommand(ctx, interaction);
  }
  if (interaction.isModalSubmit() && interaction.customId.startsWith(`${EDIT_IMAGE_MODAL}:`)) {
    return handleEditImageModal(ctx, interaction);
  }
  if (interaction.isButton()) return handleButton(ctx, interaction);
}

/** Every interaction: handled, or answered privately with a short apology while the log gets the cause. */
export async function onInteraction(ctx: DiscordContext, interaction: Interaction): Promise<void> {
  try {
    await route(ctx, interaction);
  } catch (error) {
    ctx.logger.error({ err: error, interaction: interaction.id }, "interaction failed");
    if (!interaction.isRepliable()) return;
    const content = "⚠️ Something went wrong on our side; please try again.";
    const answer =
      interaction.deferred || interaction.replied
        ? interaction.followUp({ content, flags: MessageFlags.Ephemeral })
        : interaction.reply({ content, flags: MessageFlags.Ephemeral });
    await answer.catch(() => undefined);
  }
}
