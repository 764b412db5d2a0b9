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

/** Where an interaction or a message comes from, for the access lists (`DISCORD_ALLOWED_*`). */
function placeOf(source: Interaction | Message, user: string): RequestPlace {
  return {
    workspace: source.guildId ?? undefined,
    channel: channelOf(source.channel, source.channelId) ?? undefined,
    user,
    roles: roleIds(source.member),
  };
}

export const interactionPlace = (interaction: Interaction): RequestPlace =>
  placeOf(interaction, interaction.user.id);

export const messagePlace = (message: Message): RequestPlace => placeOf(message, message.author.id);

/** Where a button is clicked, for `requireSamePlace`: the server (none in a DM) and the person. */
export function clickPlace(interaction: Interaction): ClickPlace {
  return { platform: "discord", workspace: interaction.guildId ?? undefined, user: interaction.user.id };
}
