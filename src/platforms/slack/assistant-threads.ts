import type { RedisClient } from "../../core/redis-slots.js";
import { THREAD_TTL_SECONDS } from "../../stores/threads.js";

/**
 * The threads Slack opened in its assistant view (`assistant_thread_started`), kept in Redis so every bot
 * process knows them: a message there is a prompt whatever it says, its run sets the thread's status, and its
 * first prompt names the thread. A DM thread not listed here (a `--private` run's) is answered as before.
 */
export class SlackAssistantThreads {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(channel: string, threadTs: string, what: "thread" | "titled"): string {
    return `${this.prefix}:slack:assistant:${what}:${channel}:${threadTs}`;
  }

  async remember(channel: string, threadTs: string): Promise<void> {
    await this.redis.set(this.key(channel, threadTs, "thread"), "1", "EX", THREAD_TTL_SECONDS);
  }

  async has(channel: string, threadTs: string): Promise<boolean> {
    return (await this.redis.exists(this.key(channel, threadTs, "thread"))) === 1;
  }

  /** True once per thread (SET NX, atomic across processes): the first accepted prompt gives the title. */
  async claimTitle(channel: string, threadTs: string): Promise<boolean> {
    const key = this.key(channel, threadTs, "titled");
    return (await this.redis.set(key, "1", "EX", THREAD_TTL_SECONDS, "NX")) === "OK";
  }
}
