import type { Redis } from "ioredis";

/** Runs kept per person and place: `/history` shows 10, the rest cover runs since removed by retention. */
const KEPT_PER_PERSON = 50;

/** Whose runs: the platform, the server or workspace (none in a Discord DM or the CLI), the person. */
export interface RunOwner {
  platform: string;
  id: string;
  workspace?: string | undefined;
}

/**
 * Each person's runs per place, newest first, in Redis (a sorted set of run ids scored by their start): the
 * run store may be S3, where listing every folder to find one person's is slow and costly. Written once, when
 * a run's folder is first written; a run whose folder is gone (deleted, forgotten, past retention) is skipped
 * by whoever reads it back.
 */
export class RunIndex {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(owner: RunOwner): string {
    // `~` is no platform workspace id: a DM's runs never share a key with a server's.
    return `${this.prefix}:runs:${owner.platform}:${owner.workspace ?? "~"}:${owner.id}`;
  }

  /** Adds the run, keeping the newest `KEPT_PER_PERSON`. */
  async record(owner: RunOwner, runId: string, at: Date = new Date()): Promise<void> {
    const key = this.key(owner);
    await this.redis
      .multi()
      .zadd(key, at.getTime(), runId)
      .zremrangebyrank(key, 0, -KEPT_PER_PERSON - 1)
      .exec();
  }

  /** The person's run ids there, newest first. */
  async newest(owner: RunOwner, count = KEPT_PER_PERSON): Promise<string[]> {
    return this.redis.zrevrange(this.key(owner), 0, count - 1);
  }

  async remove(owner: RunOwner, runIds: readonly string[]): Promise<void> {
    if (runIds.length > 0) await this.redis.zrem(this.key(owner), ...runIds);
  }
}
