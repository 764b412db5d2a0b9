import type { RedisClient } from "../core/redis-slots.js";
import type { ResponseCheckpoint } from "../engine/events.js";

/** Longer than any job lives, retries and recoveries included. */
const PROGRESS_TTL_SECONDS = 24 * 60 * 60;

/**
 * What a job's earlier runs got to, kept in Redis for the run that takes over after a worker died: how
 * many runs asked OpenAI and never finished (an Images API generation lost with its worker was paid for
 * and is made again, so it is counted), and where a Responses API background response got to (resumed
 * there, not paid for again).
 */
export class JobProgress {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  key(runId: string): string {
    return `${this.prefix}:job-progress:${runId}`;
  }

  /**
   * A run is about to ask OpenAI. Answers how many earlier runs asked and never got to {@link closed}:
   * their workers died with the request open.
   */
  async opened(runId: string): Promise<number> {
    const key = this.key(runId);
    const replies = await this.redis.multi().hincrby(key, "open", 1).expire(key, PROGRESS_TTL_SECONDS).exec();
    return Number(replies?.[0]?.[1] ?? 1) - 1;
  }

  /** The run's request to OpenAI ended, with images or with an error. */
  async closed(runId: string): Promise<void> {
    await this.redis.hincrby(this.key(runId), "open", -1);
  }

  async checkpoint(runId: string): Promise<ResponseCheckpoint | undefined> {
    const [responseId, sequence] = await this.redis.hmget(this.key(runId), "responseId", "sequence");
    if (!responseId) return undefined;
    return { responseId, sequence: Number(sequence ?? -1) };
  }

  async saveCheckpoint(runId: string, checkpoint: ResponseCheckpoint): Promise<void> {
    const key = this.key(runId);
    await this.redis
      .multi()
      .hset(key, { responseId: checkpoint.responseId, sequence: checkpoint.sequence })
      .expire(key, PROGRESS_TTL_SECONDS)
      .exec();
  }

  /** The job has ended for good: nothing will resume it. */
  async forget(runId: string): Promise<void> {
    await this.redis.del(this.key(runId));
  }
}
