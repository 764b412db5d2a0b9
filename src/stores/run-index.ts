import { type RedisClient, slotted } from "../core/redis-slots.js";

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
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  key(owner: RunOwner): string {
    // `~` is no platform workspace id: a DM's runs never share a key with a server's.
    return `${this.prefix}:runs:${owner.platform}:${owner.workspace ?? "~"}:${this.person(owner.id)}`;
  }

  /** The person's runs in every place together (the studio's history): platform and id, no place. */
  personKey(owner: Pick<RunOwner, "platform" | "id">): string {
    return `${this.prefix}:runs-of:${owner.platform}:${this.person(owner.id)}`;
  }

  /**
   * A person's lists, in one hash slot on a Redis Cluster (a run is added to both in one MULTI): the slot of
   * their id, so people spread over the cluster.
   */
  private person(id: string): string {
    return slotted(this.redis, id);
  }

  /** Adds the run to its place's list and to the person's, keeping the newest `KEPT_PER_PERSON` of each. */
  async record(owner: RunOwner, runId: string, at: Date = new Date()): Promise<void> {
    const key = this.key(owner);
    const everywhere = this.personKey(owner);
    await this.redis
      .multi()
      .zadd(key, at.getTime(), runId)
      .zremrangebyrank(key, 0, -KEPT_PER_PERSON - 1)
      .zadd(everywhere, at.getTime(), runId)
      .zremrangebyrank(everywhere, 0, -KEPT_PER_PERSON - 1)
      .exec();
  }

  /** The person's run ids in every place, newest first; `before` a run id, the ones older than it. */
  async newestOfPerson(
    owner: Pick<RunOwner, "platform" | "id">,
    count: number,
    before?: string,
  ): Promise<string[]> {
    const key = this.personKey(owner);
    // By rank, looked up afresh: newer runs added since only move `before` down, never past an older one.
    const rank = before === undefined ? -1 : await this.redis.zrevrank(key, before);
    if (rank === null) return [];
    return this.redis.zrevrange(key, rank + 1, rank + count);
  }

  /** The person's run ids there, newest first. */
  async newest(owner: RunOwner, count = KEPT_PER_PERSON): Promise<string[]> {
    return this.redis.zrevrange(this.key(owner), 0, count - 1);
  }

  async remove(owner: RunOwner, runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    await this.redis
      .multi()
      .zrem(this.key(owner), ...runIds)
      .zrem(this.personKey(owner), ...runIds)
      .exec();
  }
}
