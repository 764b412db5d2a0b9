import type { RedisClient } from "../../core/redis-slots.js";
import { THREAD_TTL_SECONDS } from "../../stores/threads.js";

/**
 * Which run a bot message shows, and the files the worker shared for it: a thread reply under a result finds
 * the images to edit, and Delete removes the files. Kept in Redis so every process sees them.
 */
export class SlackMessageRuns {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private messageKey(channel: string, ts: string): string {
    return `${this.prefix}:slack:message:${channel}:${ts}`;
  }

  private filesKey(runId: string): string {
    return `${this.prefix}:slack:files:${runId}`;
  }

  async remember(channel: string, ts: string, runId: string): Promise<void> {
    await this.redis.set(this.messageKey(channel, ts), runId, "EX", THREAD_TTL_SECONDS);
  }

  /** A thread's root keeps the first run posted under it (a person's message the bot answered in a thread). */
  async rememberRoot(channel: string, ts: string, runId: string): Promise<void> {
    await this.redis.set(this.messageKey(channel, ts), runId, "EX", THREAD_TTL_SECONDS, "NX");
  }

  async runOf(channel: string, ts: string): Promise<string | undefined> {
    return (await this.redis.get(this.messageKey(channel, ts))) ?? undefined;
  }

  async addFiles(runId: string, fileIds: string[]): Promise<void> {
    if (fileIds.length === 0) return;
    await this.redis
      .multi()
      .rpush(this.filesKey(runId), ...fileIds)
      .expire(this.filesKey(runId), THREAD_TTL_SECONDS)
      .exec();
  }

  async files(runId: string): Promise<string[]> {
    return this.redis.lrange(this.filesKey(runId), 0, -1);
  }

  /** The reply the model's words streamed into (text-stream.ts), in the run's channel: Delete removes it too. */
  async rememberWords(runId: string, ts: string): Promise<void> {
    await this.redis.set(`${this.prefix}:slack:words:${runId}`, ts, "EX", THREAD_TTL_SECONDS);
  }

  async words(runId: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}:slack:words:${runId}`)) ?? undefined;
  }
}

/**
 * Claims an event id once (SET NX with a TTL): Slack retries an event it thinks was missed
 * (`x-slack-retry-num`), and a retry must never start a second job. Atomic across bot processes.
 */
export async function claimEvent(
  redis: RedisClient,
  prefix: string,
  eventId: string,
  ttlSeconds: number,
): Promise<boolean> {
  const claimed = await redis.set(`${prefix}:slack:event:${eventId}`, "1", "EX", ttlSeconds, "NX");
  return claimed === "OK";
}
