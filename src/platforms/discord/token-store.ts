import type { Redis } from "ioredis";
import { INTERACTION_TOKEN_LIFETIME_MS, TOKEN_SAFETY_MARGIN_MS } from "./reply-target.js";

/**
 * Interaction tokens, kept apart from job data: jobs and run metadata (`origin.reply`) are stored for days,
 * a token only for its 15-minute life. The Redis TTL ends a little before the token does, so renderers then
 * switch to the bot token by themselves.
 */
export class InteractionTokens {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(messageId: string): string {
    return `${this.prefix}:discord:interaction-token:${messageId}`;
  }

  async save(messageId: string, token: string, createdAt: number, now = Date.now()): Promise<void> {
    const ttl = createdAt + INTERACTION_TOKEN_LIFETIME_MS - TOKEN_SAFETY_MARGIN_MS - now;
    if (ttl > 0) await this.redis.set(this.key(messageId), token, "PX", ttl);
  }

  async get(messageId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(messageId))) ?? undefined;
  }
}
