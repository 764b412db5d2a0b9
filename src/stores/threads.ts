import { type RedisClient, slotted } from "../core/redis-slots.js";

/** OpenAI keeps stored responses for 30 days; a chain is useless once its responses are gone. */
export const THREAD_TTL_SECONDS = 30 * 24 * 60 * 60;

/** Identifies one conversation: a Discord thread, a Slack thread, a CLI session. */
export interface ThreadAddress {
  platform: string;
  /** Guild, team or `local`. */
  workspace: string;
  /**
   * Unique within the workspace: a Discord thread id; for Slack `<channel>:<root ts>`, as a root ts is
   * unique only within its channel.
   */
  thread: string;
}

export interface ThreadTurn {
  jobId: string;
  /** Responses API id the next turn chains from with `previous_response_id`. */
  responseId: string;
  /** The platform message that shows this turn's result, so a reply to it can branch from here. */
  messageId?: string;
  /** Storage keys of the turn's final images, inputs for a later edit. */
  imageKeys: string[];
  /** The turn this one continued; absent for the first turn. Turns form a tree, not a line. */
  parentJobId?: string;
  createdAt: string;
}

/**
 * The turns of each thread, in Redis: one hash per thread (field = job id), its TTL renewed on every write,
 * so every worker and bot process sees the same history and updating one turn never races an append.
 * Branching is a new turn whose parent is an older turn; nothing is ever rewritten but a turn's message id.
 */
export class ThreadStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  key(address: ThreadAddress): string {
    return `${this.prefix}:thread:${this.place(address)}`;
  }

  async append(address: ThreadAddress, turn: ThreadTurn): Promise<void> {
    await this.write(address, turn);
  }

  /** All turns, oldest first. */
  async turns(address: ThreadAddress): Promise<ThreadTurn[]> {
    const raw = await this.redis.hvals(this.key(address));
    return raw
      .map((entry) => JSON.parse(entry) as ThreadTurn)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.jobId.localeCompare(b.jobId));
  }

  async latest(address: ThreadAddress): Promise<ThreadTurn | undefined> {
    return (await this.turns(address)).at(-1);
  }

  /** The turn shown by a platform message, or produced by a job: where a reply branches from. */
  async find(
    address: ThreadAddress,
    match: { jobId?: string; messageId?: string },
  ): Promise<ThreadTurn | undefined> {
    if (match.jobId !== undefined) {
      const raw = await this.redis.hget(this.key(address), match.jobId);
      return raw === null ? undefined : (JSON.parse(raw) as ThreadTurn);
    }
    return (await this.turns(address)).find((turn) => turn.messageId === match.messageId);
  }

  /** The path from the first turn to `jobId`, following parents: the conversation as that turn saw it. */
  async chain(address: ThreadAddress, jobId: string): Promise<ThreadTurn[]> {
    const byJob = new Map((await this.turns(address)).map((turn) => [turn.jobId, turn]));
    const path: ThreadTurn[] = [];
    for (
      let turn = byJob.get(jobId);
      turn !== undefined;
      turn = turn.parentJobId ? byJob.get(turn.parentJobId) : undefined
    ) {
      path.unshift(turn);
      if (path.length > byJob.size) break; // a corrupt parent loop must not hang a worker
    }
    return path;
  }

  /** Attaches the platform message to a turn once it is posted (the renderer learns it during the job). */
  async setMessageId(address: ThreadAddress, jobId: string, messageId: string): Promise<void> {
    const turn = await this.find(address, { jobId });
    if (turn !== undefined) await this.write(address, { ...turn, messageId });
  }

  /**
   * Drops these turns (a person deleted their results). A turn that continued one of them keeps its own
   * response id, so the thread can still go on from it; a reply naming a dropped turn is told it is gone.
   */
  async remove(address: ThreadAddress, jobIds: readonly string[]): Promise<number> {
    if (jobIds.length === 0) return 0;
    return this.redis.hdel(this.key(address), ...jobIds);
  }

  /**
   * Drops the whole thread (`/forget`) and remembers, for as long as a chain would have lived, that it was
   * forgotten: a message there then gets a sentence instead of a turn that cannot see what came before. True
   * when it had turns.
   */
  async clear(address: ThreadAddress): Promise<boolean> {
    const results = await this.redis
      .multi()
      .del(this.key(address))
      .set(this.forgottenKey(address), "1", "EX", THREAD_TTL_SECONDS)
      .exec();
    const deleted = results?.[0]?.[1];
    return typeof deleted === "number" && deleted > 0;
  }

  /** Whether the thread's history was forgotten (`clear`) and no new turn has been added since. */
  async forgotten(address: ThreadAddress): Promise<boolean> {
    return (await this.redis.exists(this.forgottenKey(address))) > 0;
  }

  private forgottenKey(address: ThreadAddress): string {
    return `${this.prefix}:thread-forgotten:${this.place(address)}`;
  }

  /** The thread, in one hash slot on a Redis Cluster: its turns and its forgotten mark change together. */
  private place(address: ThreadAddress): string {
    return slotted(this.redis, `${address.platform}:${address.workspace}:${address.thread}`);
  }

  private async write(address: ThreadAddress, turn: ThreadTurn): Promise<void> {
    const key = this.key(address);
    // A turn added after `/forget` (a button pressed on an older result there) starts the thread's history anew.
    await this.redis
      .multi()
      .hset(key, turn.jobId, JSON.stringify(turn))
      .expire(key, THREAD_TTL_SECONDS)
      .del(this.forgottenKey(address))
      .exec();
  }
}
