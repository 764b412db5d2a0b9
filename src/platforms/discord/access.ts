import type { APIInteractionGuildMember, GuildMember, Interaction, Message } from "discord.js";
import type { RequestPlace } from "../../access/access-list.js";
import type { ClickPlace } from "../../actions/same-place.js";

/** Role ids whether discord.js knows the member (guild cached) or only has the interaction's raw member. */
function roleIds(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (member === null) return [];
  return Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
}

/** A thread belongs to its parent channel: allowing a channel allows the refinement threads opened in it. */
function channelOf(channel: Interaction["channel"] | Message["channel"], channelId: string | null) {
  return channel?.isThread() ? (channel.parentId ?? channelId) : channelId;
}

/** Where an interaction comes from, for the access lists (`DISCORD_ALLOWED_*`). */
export function interactionPlace(interaction: Interaction): RequestPlace {
  return {
    workspace: interaction.guildId ?? undefined,
    channel: channelOf(interaction.channel, interaction.channelId) ?? undefined,
    user: interaction.user.id,
    roles: roleIds(interaction.member),
  };
}

/** Where a message comes from, for the access lists (`DISCORD_ALLOWED_*`). */
export function messagePlace(message: Message): RequestPlace {
  return {
    workspace: message.guildId ?? undefined,
    channel: channelOf(message.channel, message.channelId) ?? undefined,
    user: message.author.id,
    roles: roleIds(message.member),
  };
}

/** Where a button is clicked, for `requireSamePlace`: the server (none in a DM) and the person. */
export function clickPlace(interaction: Interaction): ClickPlace {
  return { platform: "discord", workspace: interaction.guildId ?? undefined, user: interaction.user.id };
}
