import { DiscordAPIError, type RawFile, type REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import { userError } from "../../core/errors.js";
import type { Logger } from "../../logger.js";
import { NO_MENTIONS } from "./mentions.js";
import type { DiscordReply } from "./reply-target.js";
import type { InteractionTokens } from "./token-store.js";

/** Errors that mean the interaction token can no longer edit: it expired (50027) or its webhook is gone. */
const DEAD_TOKEN_CODES = new Set([50027, 10015]);

export interface MessageBody {
  content?: string;
  attachments?: { id: string | number; filename?: string }[];
  components?: unknown[];
  /** `IS_COMPONENTS_V2` turns the message into a Components V2 one for good: no content from then on. */
  flags?: number;
}

/**
 * Edits one reply message. Uses the interaction webhook (`@original`) while the token lives, then the
 * channel message with the bot token, unless only the webhook reaches the message (`webhookOnly`): then a dead
 * token is `reply_expired`. @discordjs/rest queues per route bucket and waits out 429s. Every edit pings
 * nobody (`NO_MENTIONS`).
 */
export class MessageEditor {
  private tokenDead: boolean;
  /** The interaction token as read once for this job, kept until its Redis entry would expire. */
  private lease: Promise<{ token: string; until: number } | undefined> | undefined;

  constructor(
    private readonly rest: REST,
    private readonly reply: DiscordReply,
    private readonly tokens: InteractionTokens,
    private readonly logger: Logger,
  ) {
    this.tokenDead = !reply.interaction;
  }

  /**
   * The interaction token the next edit uses (none once it is dead or its time is up). Read from Redis once,
   * with the moment its entry expires, and kept until then: one round trip per job, not one per edit. A caller
   * that first makes a slow body (a preview) asks for it meanwhile and hands it to `edit`.
   */
  token(): Promise<string | undefined> {
    if (this.tokenDead) return Promise.resolve(undefined);
    if (this.lease === undefined) {
      const lease = this.tokens.lease(this.reply.messageId);
      this.lease = lease;
      // A failed read is not kept: the next edit asks again.
      lease.catch(() => {
        if (this.lease === lease) this.lease = undefined;
      });
    }
    const token = this.lease.then((lease) =>
      lease !== undefined && Date.now() < lease.until ? lease.token : undefined,
    );
    // Handled where `edit` awaits it; a body that failed first must not leave the rejection unheard.
    token.catch(() => undefined);
    return token;
  }

  async edit(content: MessageBody, files: RawFile[] = [], token = this.token()): Promise<{ id: string }> {
    // The content echoes the prompt and the model's text: whatever mentions they hold ping nobody.
    const body = { ...content, allowed_mentions: NO_MENTIONS };
    const interactionToken = this.tokenDead ? undefined : await token;
    if (interactionToken !== undefined) {
      try {
        return (await this.rest.patch(
          Routes.webhookMessage(this.reply.applicationId, interactionToken, "@original"),
          {
            body,
            files,
            auth: false,
          },
        )) as { id: string };
      } catch (error) {
        if (!(error instanceof DiscordAPIError && DEAD_TOKEN_CODES.has(Number(error.code)))) throw error;
        this.logger.info(
          { code: error.code },
          this.reply.webhookOnly
            ? "interaction token no longer valid; nothing else reaches this reply"
            : "interaction token no longer valid; editing with the bot token",
        );
      }
    }
    this.tokenDead = true;
    // The bot token would get 403 Missing Access (a DM it is not in) or Unknown Message (an ephemeral reply).
    if (this.reply.webhookOnly) return this.expired();
    return (await this.rest.patch(Routes.channelMessage(this.reply.channelId, this.reply.messageId), {
      body,
      files,
    })) as { id: string };
  }

  /**
   * A webhook-only reply past its token's working life: its last edit (once, while Discord still takes the
   * token) says why the result will not appear, rather than leaving it on "Generating…".
   * @throws `UserError` (`reply_expired`) always: the edit asked for was not made.
   */
  private async expired(): Promise<never> {
    const failure = userError("reply_expired");
    const lastToken = await this.tokens.lastEdit(this.reply.messageId).catch(() => undefined);
    if (lastToken !== undefined) {
      const route = Routes.webhookMessage(this.reply.applicationId, lastToken, "@original");
      const body = { content: `⚠️ ${failure.message}`, components: [], attachments: [] };
      await this.rest.patch(route, { body, auth: false }).catch((error: unknown) => {
        this.logger.warn({ err: error }, "last edit of an expiring private reply failed");
      });
    }
    throw failure;
  }
}
