import { type Interaction, PermissionFlagsBits } from "discord.js";

/**
 * The bot's admins in a server: whoever has the Manage Server permission there (Administrator includes it),
 * or one of the roles in `DISCORD_ADMIN_ROLE_IDS`. In a DM nobody is: there is no server to administer.
 */
export function isDiscordAdmin(interaction: Interaction, adminRoleIds: readonly string[]): boolean {
  if (!interaction.inGuild()) return false;
  if (interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return true;
  return memberRoleIds(interaction).some((id) => adminRoleIds.includes(id));
}

/** The member's role ids: raw in an uncached guild's interaction, from the role manager in a cached one. */
function memberRoleIds(interaction: Interaction<"raw" | "cached">): string[] {
  const roles = interaction.member.roles;
  return Array.isArray(roles) ? roles : [...roles.cache.keys()];
}
