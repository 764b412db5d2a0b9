import type { FakeWorld } from "./state.js";
import type { FakeChannel, FakeMessage, FakeUser } from "./types.js";

/** Administrator: permission checks in discord.js pass for the bot and the test users. */
const ALL_PERMISSIONS = "8";

export function member(user: FakeUser, roles: string[] = []): Record<string, unknown> {
  return {
    user,
    roles,
    joined_at: new Date(Date.now() - 86_400_000).toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    nick: null,
    avatar: null,
    pending: false,
    permissions: ALL_PERMISSIONS,
  };
}

export function channelPayload(channel: FakeChannel): Record<string, unknown> {
  // DMs and group DMs have recipients and no permission overwrites.
  if (channel.guild_id === undefined) return { ...channel };
  return { ...channel, permission_overwrites: channel.permission_overwrites ?? [] };
}

export function guildCreate(world: FakeWorld, guildId = world.guildId): Record<string, unknown> {
  const channels = [...world.channels.values()].filter((channel) => channel.guild_id === guildId);
  return {
    id: guildId,
    name: world.guilds.get(guildId)?.name ?? "Fake Guild",
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: world.user.id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    vanity_url_code: null,
    preferred_locale: "en-US",
    features: [],
    roles: [
      {
        id: guildId,
        name: "@everyone",
        permissions: ALL_PERMISSIONS,
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
      ...world.roles.map((role, index) => ({
        id: role.id,
        name: role.name,
        permissions: "0",
        position: index + 1,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      })),
    ],
    emojis: [],
    stickers: [],
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 3,
    voice_states: [],
    members: [member(world.botUser)],
    channels: channels.filter((channel) => channel.type !== 11).map(channelPayload),
    threads: channels.filter((channel) => channel.type === 11).map(channelPayload),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    application_id: null,
  };
}

/**
 * What the app may do in a DM or group DM it reaches through a user install: only ATTACH_FILES, EMBED_LINKS
 * and MENTION_EVERYONE (Discord's documented set for private channels).
 */
const PRIVATE_CHANNEL_APP_PERMISSIONS = String((1 << 15) | (1 << 14) | (1 << 17));

/**
 * Where an interaction comes from: the guild (guild install, the member, `guild_id`), or a DM or group DM
 * reached through the person's own install (`user`, no `guild_id`, `context` 1 or 2, the user as owner).
 */
function interactionPlace(world: FakeWorld, user: FakeUser, channelId: string): Record<string, unknown> {
  const context = world.contextOf(channelId);
  const guildId = world.channels.get(channelId)?.guild_id ?? world.guildId;
  // A server that did not add the bot: only the person's own install reaches the app there.
  const userInstallOnly = world.botAbsent.has(channelId);
  if (context === 0) {
    return {
      guild_id: guildId,
      member: {
        ...member(user, world.memberRoles.get(user.id)),
        permissions: world.memberPermissions.get(user.id) ?? ALL_PERMISSIONS,
      },
      app_permissions: userInstallOnly ? PRIVATE_CHANNEL_APP_PERMISSIONS : ALL_PERMISSIONS,
      guild_locale: "en-US",
      authorizing_integration_owners: userInstallOnly ? { "1": user.id } : { "0": guildId },
      context,
    };
  }
  return {
    user,
    app_permissions: context === 1 ? ALL_PERMISSIONS : PRIVATE_CHANNEL_APP_PERMISSIONS,
    authorizing_integration_owners: { "1": user.id },
    context,
  };
}

/** Fields every interaction carries, in the guild or in a DM. */
export function interactionBase(
  world: FakeWorld,
  id: string,
  token: string,
  type: number,
  user: FakeUser,
  channelId: string,
  attachmentSizeLimit: number,
): Record<string, unknown> {
  const channel = world.channels.get(channelId);
  return {
    id,
    application_id: world.applicationId,
    type,
    token,
    version: 1,
    channel_id: channelId,
    ...(channel ? { channel: channelPayload(channel) } : {}),
    ...interactionPlace(world, user, channelId),
    locale: "en-US",
    entitlements: [],
    attachment_size_limit: attachmentSizeLimit,
  };
}

/** MESSAGE_CREATE as a bot without the privileged intent sees it: no content unless it is mentioned. */
export function messageCreate(
  world: FakeWorld,
  message: FakeMessage,
  messageContentIntent: boolean,
): Record<string, unknown> {
  const visible =
    messageContentIntent ||
    message.author.id === world.botUser.id ||
    message.mentions.some((user) => user.id === world.botUser.id);
  const wire = world.wire(message);
  const referenced = message.referenced_message;
  return {
    ...wire,
    ...(visible ? {} : { content: "", embeds: [], attachments: [], components: [] }),
    ...(referenced ? { referenced_message: world.wire(referenced) } : {}),
    ...(message.guild_id ? { member: member(message.author, world.memberRoles.get(message.author.id)) } : {}),
  };
}
