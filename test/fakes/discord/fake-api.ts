import type { FakeGateway } from "./gateway.js";
import type { FakeGuild, FakeWorld } from "./state.js";
import type { FakeAttachment, FakeInteraction, FakeMessage, FakeUser, RecordedRequest } from "./types.js";

/** What a test holds of the fake Discord (`startFakeDiscord` in fake.ts): its world, and a person's moves. */

/** A file to attach: uploaded to the fake CDN first, like a person's upload. */
export interface Upload {
  filename: string;
  bytes: Buffer;
  contentType?: string;
}

export interface FakeDiscord {
  /** REST base for discord.js's `rest.api` (`…/api`; the client adds `/v10`). */
  url: string;
  origin: string;
  token: string;
  world: FakeWorld;
  /** The gateway: its sessions' shards, what it received and refused. */
  gateway: FakeGateway;
  requests: RecordedRequest[];
  applicationId: string;
  guildId: string;
  channelId: string;
  user: FakeUser;
  otherUser: FakeUser;
  botUser: FakeUser;
  /** Resolves once a bot has identified on the gateway (`shards` sessions, when it runs several). */
  waitForBot(shards?: number): Promise<void>;
  /**
   * Another server the bot is in, with its own `#general`, on `onShard` when given; its id, its channel's id.
   * Add it before the bot connects (its GUILD_CREATE goes out on IDENTIFY).
   */
  addGuild(onShard?: { shard: number; count: number }): FakeGuild;
  /** The last IDENTIFY a bot sent (token redacted): intents, properties. */
  gatewayIdentify(): { intents?: number } | undefined;
  upload(file: Upload, channelId?: string): Promise<FakeAttachment>;
  /**
   * A slash command; attachment options take `Upload`s (or arrays of them for repeated options). `channelId`
   * (default `#general`) sends it from another channel, such as a thread.
   */
  slash(
    name: string,
    options?: Record<string, string | number | boolean | Upload>,
    by?: FakeUser,
    channelId?: string,
  ): Promise<FakeInteraction>;
  /**
   * A DM or group DM (`FakeWorld.openPrivateChannel`); commands typed there (`slash`'s `channelId`) come as from
   * a user install. The bot token gets 403 Missing Access in `dm` and `group-dm`.
   */
  privateChannel(kind?: "bot-dm" | "dm" | "group-dm"): string;
  /** A slash command from a user install in a new DM between `user` and `otherUser` (or a group DM). */
  slashInDm(
    name: string,
    options?: Record<string, string | number | boolean | Upload>,
    where?: { group?: boolean; by?: FakeUser },
  ): Promise<FakeInteraction>;
  autocomplete(name: string, focused: string, value: string, by?: FakeUser): Promise<FakeInteraction>;
  messageCommand(name: string, target: FakeMessage, by?: FakeUser): Promise<FakeInteraction>;
  /**
   * A modal's submit: from `from`, the message whose button opened it (Discord sends it with the submit), or
   * from `channelId` (default `#general`) where the command that opened it was used.
   */
  submitModal(
    customId: string,
    /** A text input's value, or the files put in a file upload (checked against the modal shown). */
    fields: Record<string, string | readonly Upload[]>,
    by?: FakeUser,
    from?: FakeMessage | { channelId: string },
  ): Promise<FakeInteraction>;
  /**
   * A click on a button of `message`. `from.guildId` makes the interaction claim another guild than the
   * message's (a forwarded message, a crafted interaction).
   */
  click(
    message: FakeMessage,
    customId: string,
    by?: FakeUser,
    from?: { guildId: string },
  ): Promise<FakeInteraction>;
  /**
   * A pick in a select of `message` (Discord sends only the options the select lists, so neither a missing
   * select nor a value it does not offer is ever sent: both throw here).
   */
  select(message: FakeMessage, customId: string, value: string, by?: FakeUser): Promise<FakeInteraction>;
  /** A person's message; `replyTo` makes it a reply, `mention` puts `<@bot>` in it. */
  say(options: {
    content?: string;
    files?: Upload[];
    replyTo?: FakeMessage;
    mention?: boolean;
    channelId?: string;
    by?: FakeUser;
  }): Promise<FakeMessage>;
  message(id: string): FakeMessage;
  /** The interaction's `@original` message, once the bot answered. */
  original(interaction: FakeInteraction): FakeMessage | undefined;
  /** Makes the interaction token behave as if its 15 minutes were over (webhook calls → 50027). */
  expireToken(interaction: FakeInteraction): void;
  /**
   * A slow Discord: from now on, each interaction's callback (its first answer) is received and then held
   * unanswered (`heldCallback` set) until `releaseCallback`; the 3 s window is checked on receipt, as Discord does.
   * `false`: callbacks that come later are answered at once.
   */
  holdCallbacks(on?: boolean): void;
  /** Answers the interaction's held callback. */
  releaseCallback(interaction: FakeInteraction): void;
  /**
   * The next interaction is made `ms` ago: its id's timestamp (discord.js's `createdTimestamp`) is that far in
   * the past, as a person's press that reached the bot late, so what the bot keeps for its token's 15 minutes
   * has only the rest of them left.
   */
  ageNextInteraction(ms: number): void;
  /** The next `times` REST requests (matching `match` on "METHOD /path", the path without `/api/v10`) get a 429. */
  rateLimit(options: { times: number; retryAfterSeconds: number; match?: RegExp; global?: boolean }): void;
  /**
   * The next `times` REST requests (matching `match` like `rateLimit`) fail with this Discord error, e.g.
   * `{ status: 400, code: 50035, message: "Invalid Form Body" }` or `{ status: 404, code: 10062, … }`.
   */
  fail(options: { times?: number; match?: RegExp; status: number; code: number; message: string }): void;
  setAttachmentSizeLimit(bytes: number): void;
  /** The suite's one `waitFor` (test/helpers/wait-for.ts), arguments in this fake's older order. */
  waitFor<T>(check: () => T | undefined | false, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}
