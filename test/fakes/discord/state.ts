import sharp from "sharp";
import { checkComponents } from "./component-limits.js";
import { checkComponentsV2, IS_COMPONENTS_V2, wantsComponentsV2 } from "./components-v2.js";
import { DiscordHttpError, tooLarge } from "./http.js";
import { FakeOAuth2 } from "./oauth2.js";
import { snowflake, snowflakeOnShard } from "./snowflake.js";
import type {
  FakeAttachment,
  FakeChannel,
  FakeInteraction,
  FakeMessage,
  FakeUser,
  RecordedRequest,
} from "./types.js";

/** Discord's default per-file upload limit (10 MiB) for servers without boosts. */
export const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

const MESSAGE_FLAGS = { ephemeral: 1 << 6, loading: 1 << 7 };

export interface InjectedRateLimit {
  remaining: number;
  retryAfterSeconds: number;
  global: boolean;
  match: RegExp | undefined;
}

/** A Discord error a test asked for: the next `remaining` requests that match get it instead of an answer. */
export interface InjectedFailure {
  remaining: number;
  /** Tested on "METHOD /path", the path without `/api/v10`; every request when absent. */
  match: RegExp | undefined;
  status: number;
  code: number;
  message: string;
}

/** A server the bot is in, with its one text channel. */
export interface FakeGuild {
  id: string;
  name: string;
  channelId: string;
}

/**
 * Everything the fake knows: one application, one guild with one text channel (more with `addGuild`), and two
 * people.
 */
export class FakeWorld {
  readonly requests: RecordedRequest[] = [];
  /** `holdCallbacks`: interaction callbacks wait for `releaseCallback` before Discord takes them. */
  holdingCallbacks = false;
  readonly applicationId = snowflake();
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly botUser: FakeUser;
  /** The person who types the commands in tests. */
  readonly user: FakeUser = person("alice");
  /** Someone else, e.g. for "Delete is requester only". */
  readonly otherUser: FakeUser = person("bob");
  /**
   * A person's permissions in interactions (a bit set as a decimal string), e.g. "0" for a member who is no
   * admin; everyone else has Administrator.
   */
  readonly memberPermissions = new Map<string, string>();
  readonly channels = new Map<string, FakeChannel>();
  /** The servers the bot is in, the first one `guildId`'s; each gets its events on its own shard. */
  readonly guilds = new Map<string, FakeGuild>();
  /** `GET /gateway/bot`'s recommended shard count. */
  recommendedShards = 1;
  /** IDENTIFY with fewer shards is closed with 4011 (Sharding required), as Discord does past 2,500 servers. */
  requiredShards: number | undefined;
  /**
   * Channels the bot user is not in: DMs between people and group DMs, reached only through a user install.
   * Discord answers the bot token there with 403 Missing Access; only interaction webhooks can post.
   */
  readonly botAbsent = new Set<string>();
  /** Guild roles besides @everyone (sent in GUILD_CREATE, so add them before the bot connects). */
  readonly roles: { id: string; name: string }[] = [];
  /** User id → the role ids their member objects carry. */
  readonly memberRoles = new Map<string, string[]>();
  readonly messages = new Map<string, FakeMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly cdn = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly commands = new Map<string, Record<string, unknown>[]>();
  readonly rateLimits: InjectedRateLimit[] = [];
  readonly failures: InjectedFailure[] = [];
  /** Route bucket → timestamps of requests in the current window (real per-route limits). */
  readonly buckets = new Map<string, number[]>();
  origin = "";
  attachmentSizeLimit = DEFAULT_ATTACHMENT_SIZE_LIMIT;
  /** Whether the application may use the privileged MESSAGE_CONTENT intent (developer portal switch). */
  messageContentAllowed: boolean;

  /** Sign-in with Discord (oauth2.ts): the browser's person, redirect URIs, codes and access tokens. */
  readonly oauth: FakeOAuth2;

  constructor(
    readonly token: string,
    options: { messageContentAllowed: boolean; clientSecret: string },
  ) {
    this.oauth = new FakeOAuth2(() => [this.user, this.otherUser], options.clientSecret);
    this.botUser = { ...person("imagine"), id: this.applicationId, bot: true };
    this.messageContentAllowed = options.messageContentAllowed;
    this.putGuild(this.guildId, "Fake Guild", this.channelId);
  }

  /**
   * Another server the bot is in, with a `#general` of its own; `onShard` picks its id so that it lands on that
   * shard of that count (`(guild_id >> 22) % count`). Add it before the bot connects, as its GUILD_CREATE is sent
   * on IDENTIFY.
   */
  addGuild(onShard?: { shard: number; count: number }): FakeGuild {
    const id = onShard ? snowflakeOnShard(onShard.shard, onShard.count) : snowflake();
    return this.putGuild(id, `Fake Guild ${this.guilds.size + 1}`, snowflake());
  }

  private putGuild(id: string, name: string, channelId: string): FakeGuild {
    const guild = { id, name, channelId };
    this.guilds.set(id, guild);
    this.channels.set(channelId, {
      id: channelId,
      type: 0,
      guild_id: id,
      name: "general",
      position: 0,
      permission_overwrites: [],
    });
    return guild;
  }

  /** A guild role held by `holders`; returns its id. */
  addRole(name: string, holders: FakeUser[] = []): string {
    const id = snowflake();
    this.roles.push({ id, name });
    for (const user of holders) this.memberRoles.set(user.id, [...(this.memberRoles.get(user.id) ?? []), id]);
    return id;
  }

  /**
   * A DM or group DM, outside the guild: `bot-dm` is the person's DM with the bot (the bot is in it); `dm` (with
   * `otherUser`) and `group-dm` are private channels the bot is not in. Returns the channel's id.
   */
  openPrivateChannel(kind: "bot-dm" | "dm" | "group-dm"): string {
    const id = snowflake();
    const recipients = kind === "bot-dm" ? [this.user] : [this.user, this.otherUser];
    this.channels.set(id, {
      id,
      type: kind === "group-dm" ? 3 : 1,
      recipients,
      ...(kind === "group-dm" ? { name: "friends", owner_id: this.user.id } : {}),
    });
    if (kind !== "bot-dm") this.botAbsent.add(id);
    return id;
  }

  /**
   * A text channel of another server, which did not add the bot: people reach the app there only through
   * their own install, and the bot token gets 403 Missing Access. Returns the channel's id.
   */
  openForeignServerChannel(): string {
    const id = snowflake();
    this.channels.set(id, { id, type: 0, guild_id: snowflake(), name: "elsewhere", position: 0 });
    this.botAbsent.add(id);
    return id;
  }

  /** Interaction context: 0 in a server, 1 in the DM with the bot, 2 in other DMs and group DMs. */
  contextOf(channelId: string): 0 | 1 | 2 {
    const channel = this.channels.get(channelId);
    if (channel === undefined || channel.guild_id !== undefined) return 0;
    return this.botAbsent.has(channelId) ? 2 : 1;
  }

  /** Stores bytes on the fake CDN and returns the attachment object Discord would send. */
  async storeAttachment(
    channelId: string,
    filename: string,
    bytes: Buffer,
    contentType?: string,
  ): Promise<FakeAttachment> {
    const id = snowflake();
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    const type = contentType ?? guessType(filename);
    this.cdn.set(path, { bytes, contentType: type });
    const attachment: FakeAttachment = {
      id,
      filename,
      size: bytes.length,
      url: `${this.origin}${path}?ex=${Math.floor(Date.now() / 1000 + 86400).toString(16)}`,
      proxy_url: `${this.origin}${path}`,
      content_type: type,
    };
    try {
      const meta = await sharp(bytes).metadata();
      if (meta.width && meta.height) Object.assign(attachment, { width: meta.width, height: meta.height });
    } catch {
      // Not an image: no dimensions, like Discord.
    }
    return attachment;
  }

  newMessage(channelId: string, author: FakeUser, fields: Partial<FakeMessage> = {}): FakeMessage {
    const channel = this.channels.get(channelId);
    const message: FakeMessage = {
      id: snowflake(),
      channel_id: channelId,
      ...(channel ? { guild_id: channel.guild_id } : {}),
      author,
      content: "",
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      flags: 0,
      type: 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mention_roles: [],
      pinned: false,
      history: [],
      ...fields,
    };
    this.messages.set(message.id, message);
    return message;
  }

  /**
   * Applies a create or edit payload. On edit, `attachments` lists what to keep (by id) plus the new
   * uploads; without it the existing attachments stay and uploads are added (Discord's rules).
   */
  async applyPayload(
    message: FakeMessage,
    json: Record<string, unknown>,
    request: RecordedRequest,
    options: { edit: boolean; sizeLimit: number },
  ): Promise<void> {
    for (const [index, file] of request.files.entries()) {
      if (file.bytes > options.sizeLimit) {
        throw Object.assign(tooLarge(), {
          detail: `${file.name} is ${request.fileBytes[index]?.length} bytes`,
        });
      }
    }
    const listed = Array.isArray(json.attachments)
      ? (json.attachments as { id?: unknown; filename?: unknown; description?: unknown }[])
      : undefined;
    const kept = options.edit
      ? message.attachments.filter(
          (attachment) => listed === undefined || listed.some((entry) => String(entry.id) === attachment.id),
        )
      : [];
    const added: FakeAttachment[] = [];
    for (const [index, file] of request.files.entries()) {
      const entry = listed?.find((item) => String(item.id) === String(index));
      const filename = typeof entry?.filename === "string" ? entry.filename : file.name;
      const bytes = request.fileBytes[index] ?? Buffer.alloc(0);
      const attachment = await this.storeAttachment(message.channel_id, filename, bytes, file.contentType);
      if (typeof entry?.description === "string") attachment.description = entry.description;
      added.push(attachment);
    }
    if (kept.length + added.length > 10) {
      throw new DiscordHttpError(400, 50035, "Invalid Form Body", {
        attachments: {
          _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 10 or fewer in length." }],
        },
      });
    }
    const v2 = wantsComponentsV2(json, message.flags, options.edit);
    if (v2) checkComponentsV2(json, new Set([...kept, ...added].map((attachment) => attachment.filename)));
    else checkComponents(json.components);
    // Applied at once, after every await: a reader never sees half an edit.
    if (typeof json.content === "string") message.content = json.content;
    if (Array.isArray(json.embeds)) message.embeds = json.embeds;
    if (Array.isArray(json.components)) message.components = json.components;
    if (typeof json.flags === "number" && !options.edit) message.flags = json.flags;
    if (v2) {
      // A V2 message shows its components only: whatever content or embeds it had are gone.
      message.flags |= IS_COMPONENTS_V2;
      message.content = "";
      message.embeds = [];
    }
    message.attachments = [...kept, ...added];
    if (options.edit) {
      message.edited_timestamp = new Date().toISOString();
      message.flags &= ~MESSAGE_FLAGS.loading;
    }
    message.history.push({
      content: message.content,
      attachments: message.attachments.map((attachment) => attachment.filename),
      components: message.components,
      embeds: message.embeds,
    });
  }

  /** The message as the API returns it (without the fake's bookkeeping). */
  wire(message: FakeMessage): Record<string, unknown> {
    const { history: _history, deleted: _deleted, ...rest } = message;
    return rest;
  }

  isEphemeral(message: FakeMessage): boolean {
    return (message.flags & MESSAGE_FLAGS.ephemeral) !== 0;
  }

  loadingFlag(ephemeral: boolean): number {
    return MESSAGE_FLAGS.loading | (ephemeral ? MESSAGE_FLAGS.ephemeral : 0);
  }
}

let people = 0;
function person(name: string): FakeUser {
  people += 1;
  return {
    id: snowflake(),
    username: `${name}${people}`,
    global_name: name,
    discriminator: "0",
    avatar: null,
  };
}

function guessType(filename: string): string {
  const extension = filename.split(".").pop()?.toLowerCase();
  const types: Record<string, string> = {
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    webp: "image/webp",
    gif: "image/gif",
    svg: "image/svg+xml",
    txt: "text/plain",
  };
  return types[extension ?? ""] ?? "application/octet-stream";
}
