import { z } from "zod";

/** Interaction tokens live 15 minutes; edits switch to the bot token a little before that. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;
export const TOKEN_SAFETY_MARGIN_MS = 30 * 1000;
/** Discord's default per-file upload limit, when an interaction does not say. */
export const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/**
 * `job.data.reply` for Discord: the message the worker edits. When the message answers an interaction,
 * `interaction` is set and the worker edits `@original` through the webhook while the token lives (the
 * token itself is in `InteractionTokens`, never in job data), then the channel message with the bot token,
 * unless `webhookOnly`. Messages the bot posted itself (edit by reply, thread turns) are edited with the bot
 * token only.
 */
export const DiscordReplySchema = z.object({
  kind: z.literal("discord"),
  applicationId: z.string().regex(/^\d{17,20}$/),
  channelId: z.string().regex(/^\d{17,20}$/),
  messageId: z.string().regex(/^\d{17,20}$/),
  guildId: z.string().optional(),
  /** The message is an interaction's `@original`. */
  interaction: z.boolean().default(false),
  /** Per-file upload limit in bytes (the interaction's `attachment_size_limit`). */
  attachmentSizeLimit: z.number().int().positive().default(DEFAULT_ATTACHMENT_SIZE_LIMIT),
  /** The message is in a thread, where Discord cannot open another one: its result offers no Refine. */
  inThread: z.boolean().default(false),
  /**
   * Only the interaction's webhook reaches the message: it is ephemeral (`private`), or in a DM or group DM the
   * app reached through a person's own install, where the bot user is not a member (403 to the bot token).
   * No thread can be opened on it, and once the token is gone nothing can edit it.
   */
  webhookOnly: z.boolean().default(false),
  /** The reply is ephemeral (`private:true`, or made from a private result): what its buttons make is too. */
  ephemeral: z.boolean().default(false),
});

export type DiscordReply = z.infer<typeof DiscordReplySchema>;
export type DiscordReplyInput = z.input<typeof DiscordReplySchema>;
