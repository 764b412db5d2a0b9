import { type Interaction, MessageFlags } from "discord.js";
import { userError } from "../../core/errors.js";

/**
 * The interaction reached the app through a person's own install only (a DM, a group DM, or a server that
 * did not add the bot): no guild install authorizes it, so the bot user is not in that channel.
 */
export const viaUserInstallOnly = (interaction: Interaction): boolean =>
  interaction.authorizingIntegrationOwners.guildId === null;

/** @throws `UserError` (`user_install_off`) for a user install's interaction while the operator turned them off. */
export function requireInstallAllowed(interaction: Interaction, allowUserInstall: boolean): void {
  if (!allowUserInstall && viaUserInstallOnly(interaction)) throw userError("user_install_off");
}

/**
 * Whether only the interaction's webhook can reach a reply: it is ephemeral (a private answer), or the bot
 * user is not in the channel. Such a reply is never edited with the bot token, and carries no thread.
 */
export function webhookOnly(interaction: Interaction, ephemeral: boolean): boolean {
  return ephemeral || viaUserInstallOnly(interaction);
}

/** A press (button, select, or the submit of a form a button opened) on an ephemeral message. */
export function pressedOnEphemeral(interaction: Interaction): boolean {
  const fromMessage =
    interaction.isMessageComponent() || (interaction.isModalSubmit() && interaction.isFromMessage());
  return fromMessage && (interaction.message?.flags.has(MessageFlags.Ephemeral) ?? false);
}
