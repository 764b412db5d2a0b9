import { userError } from "../core/errors.js";
import type { RedisClient } from "../core/redis-slots.js";

export interface UserLimitSettings {
  /** Jobs one person may have queued or running at once; 0 = no limit. */
  maxActiveJobs: number;
}

/** A job that has been "active" this long has died with its worker; it no longer counts. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * One round trip, atomic: forget stale entries, check the limit, then take a slot. Two commands sent at the
 * same moment by the same person cannot both slip under the limit.
 * KEYS: the person's active set. ARGV: now, stale-before, max active, job id.
 */
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local maxActive = tonumber(ARGV[3])
if maxActive > 0 and redis.call('ZCARD', KEYS[1]) >= maxActive then return 'active' end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ${STALE_AFTER_MS})
return 'ok'
`;

export interface LimitedUser {
  platform: string;
  id: string;
}

/**
 * Per-person fairness, which BullMQ's open-source queue does not have: a cap on jobs in flight, kept in Redis
 * so every bot and worker process enforces the same number. What a person may spend is the budget ledger's
 * (`src/budget`).
 */
export class UserLimits {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly settings: UserLimitSettings,
  ) {}

  /** Takes a slot for `jobId`, or throws a `UserError` saying the person has too many jobs in flight. */
  async acquire(user: LimitedUser, jobId: string, now = new Date()): Promise<void> {
    const verdict = await this.redis.eval(
      ACQUIRE,
      1,
      this.activeKey(user),
      now.getTime(),
      now.getTime() - STALE_AFTER_MS,
      this.settings.maxActiveJobs,
      jobId,
    );
    if (verdict === "active") {
      throw userError("too_many_active_jobs", { max: this.settings.maxActiveJobs });
    }
  }

  /** Frees the job's slot; idempotent (a job done, refused, cancelled or failed for good). */
  async release(user: LimitedUser, jobId: string): Promise<void> {
    await this.redis.zrem(this.activeKey(user), jobId);
  }

  /** The jobs holding one person's slots. */
  async activeJobs(user: LimitedUser): Promise<string[]> {
    return this.redis.zrange(this.activeKey(user), "0", "-1");
  }

  private activeKey(user: LimitedUser): string {
    return `${this.prefix}:limits:active:${user.platform}:${user.id}`;
  }
}
