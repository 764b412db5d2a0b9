import type { RedisClient } from "../../core/redis-slots.js";
import { INTERACTION_TOKEN_LIFETIME_MS, TOKEN_SAFETY_MARGIN_MS } from "./reply-target.js";

/** A reply only the webhook reaches keeps its token for one last edit until just before Discord's 15 minutes. */
const LAST_EDIT_MARGIN_MS = 5 * 1000;

/**
 * Interaction tokens, kept apart from job data: jobs and run metadata (`origin.reply`) are stored for days,
 * a token only for its 15-minute life. The Redis TTL ends a little before the token does, so renderers then
 * switch to the bot token by themselves.
 */
export class InteractionTokens {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(messageId: string): string {
    return `${this.prefix}:discord:interaction-token:${messageId}`;
  }

  /**
   * `webhookOnly`: nothing but this token will ever reach the reply, so it is also kept for a last edit that
   * says so ({@link lastEdit}) after renderers stop using it.
   */
  async save(
    messageId: string,
    token: string,
    createdAt: number,
    options: { webhookOnly?: boolean; now?: number } = {},
  ): Promise<void> {
    const left = createdAt + INTERACTION_TOKEN_LIFETIME_MS - (options.now ?? Date.now());
    if (left - TOKEN_SAFETY_MARGIN_MS > 0) {
      await this.redis.set(this.key(messageId), token, "PX", left - TOKEN_SAFETY_MARGIN_MS);
    }
    if (options.webhookOnly && left - LAST_EDIT_MARGIN_MS > 0) {
      await this.redis.set(this.lastEditKey(messageId), token, "PX", left - LAST_EDIT_MARGIN_MS);
    }
  }

  /**
   * The token and the moment (`Date.now()` ms) its entry expires, in one round trip: a renderer keeps it for
   * the whole job instead of reading it before every edit. The moment is taken before asking, so it is never
   * later than Redis's own.
   */
  async lease(messageId: string): Promise<{ token: string; until: number } | undefined> {
    const asked = Date.now();
    const key = this.key(messageId);
    const replies = await this.redis.pipeline().get(key).pttl(key).exec();
    const token = replies?.[0]?.[1];
    const left = Number(replies?.[1]?.[1]);
    if (typeof token !== "string" || !(left > 0)) return undefined;
    return { token, until: asked + left };
  }

  /** The token for one last edit of a webhook-only reply, taken (deleted) so that only one is made. */
  async lastEdit(messageId: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.lastEditKey(messageId))) ?? undefined;
  }

  private lastEditKey(messageId: string): string {
    return `${this.key(messageId)}:last-edit`;
  }
}
