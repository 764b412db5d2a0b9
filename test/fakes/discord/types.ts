import type { IncomingRequest } from "../incoming.js";

/** Shapes the fake keeps; wire field names follow Discord's API (snake_case). */

export interface RecordedFile {
  /** The multipart field, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  bytes: number;
}

/** One request as received; also the JSON line written to `recordFile`. */
export interface RecordedRequest extends Omit<IncomingRequest, "body"> {
  /** Parsed JSON body, or the parsed `payload_json` of a multipart body. */
  json?: unknown;
  files: RecordedFile[];
  /** The file bytes (not written to the record file). */
  fileBytes: Buffer[];
  status?: number;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  width?: number;
  height?: number;
  description?: string;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: FakeUser;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: FakeAttachment[];
  mentions: FakeUser[];
  flags: number;
  type: number;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mention_roles: string[];
  pinned: boolean;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: unknown;
  message_reference?: { message_id: string; channel_id: string; guild_id?: string; type?: number };
  referenced_message?: FakeMessage | null;
  thread?: FakeChannel;
  /** Every version the message went through (content, embeds and attachment names), for tests. */
  history: { content: string; attachments: string[]; components: unknown[]; embeds?: unknown[] }[];
  deleted?: boolean;
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
}

export interface FakeChannel {
  id: string;
  type: number;
  /** Absent for DMs (type 1) and group DMs (type 3). */
  guild_id?: string;
  /** The people in a DM or group DM. */
  recipients?: FakeUser[];
  /** Absent for DMs. */
  name?: string;
  parent_id?: string;
  position?: number;
  permission_overwrites?: unknown[];
  owner_id?: string;
  thread_metadata?: {
    archived: boolean;
    auto_archive_duration: number;
    locked: boolean;
    archive_timestamp: string;
  };
  member_count?: number;
  message_count?: number;
}

export interface FakeInteraction {
  id: string;
  token: string;
  type: number;
  payload: Record<string, unknown>;
  /** When the fake sent it to the bot (`wallClock`, so an ack's latency is the callback's `arrivedAt` minus this). */
  createdAt: number;
  /** The callback type the bot answered with, once it did. */
  callbackType?: number;
  callbackData?: Record<string, unknown>;
  /** The `@original` message (deferred or replied). */
  originalId?: string;
  followupIds: string[];
  /** Set by `expireToken`: webhook calls then fail with 50027 like a token older than 15 minutes. */
  expired: boolean;
  /** While `holdCallbacks` is on: the bot's first answer arrived and waits for `releaseCallback`. */
  heldCallback?: () => void;
  attachmentSizeLimit: number;
}
