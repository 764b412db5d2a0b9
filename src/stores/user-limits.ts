import type { Redis } from "ioredis";
import { UserError } from "../core/errors.js";

export interface UserLimitSettings {
  /** Jobs one person may have queued or running at once; 0 = no limit. */
  maxActiveJobs: number;
  /** Images one person may make per UTC day; 0 = no limit. */
  dailyImages: number;
}

/** A job that has been "active" this long has died with its worker; it no longer counts. */
const STALE_AFTER_MS = 60 * 60 * 1000;
const DAY_KEY_TTL_SECONDS = 2 * 24 * 60 * 60;

/**
 * One round trip, atomic: forget stale entries, check both limits, then take a slot. Two commands sent
 * at the same moment by the same person cannot both slip under the limit.
 * KEYS: active set, today's image count. ARGV: now, stale-before, max active, job id, images asked, daily max.
 */
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local maxActive = tonumber(ARGV[3])
if maxActive > 0 and redis.call('ZCARD', KEYS[1]) >= maxActive then return 'active' end
local daily = tonumber(ARGV[6])
if daily > 0 and (tonumber(redis.call('GET', KEYS[2]) or '0') + tonumber(ARGV[5])) > daily then return 'daily' end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ${STALE_AFTER_MS})
return 'ok'
`;

/**
 * One round trip, atomic and idempotent: free the job's slot, and count its images unless this job was
 * counted before (a retry that delivers a stored result again settles again; the person pays once).
 * KEYS: active set, today's image count, the job's "counted" mark. ARGV: job id, images, TTL in seconds.
 */
const SETTLE = `
redis.call('ZREM', KEYS[1], ARGV[1])
if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[3]) then return 0 end
redis.call('INCRBY', KEYS[2], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

export interface LimitedUser {
  platform: string;
  id: string;
}

/**
 * Per-person fairness, which BullMQ's open-source queue does not have: a cap on jobs in flight and on images
 * per day, kept in Redis so every bot and worker process enforces the same numbers.
 */
export class UserLimits {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly settings: UserLimitSettings,
  ) {}

  /** Takes a slot for `jobId`, or throws a `UserError` that says which limit was reached. */
  async acquire(user: LimitedUser, jobId: string, images: number, now = new Date()): Promise<void> {
    const verdict = await this.redis.eval(
      ACQUIRE,
      2,
      this.activeKey(user),
      this.dayKey(user, now),
      now.getTime(),
      now.getTime() - STALE_AFTER_MS,
      this.settings.maxActiveJobs,
      jobId,
      images,
      this.settings.dailyImages,
    );
    if (verdict === "active") {
      throw new UserError(
        "too_many_active_jobs",
        "invalid_input",
        `You already have ${plural(this.settings.maxActiveJobs, "request")} in progress; wait for one to finish.`,
      );
    }
    if (verdict === "daily") {
      throw new UserError(
        "daily_limit_reached",
        "invalid_input",
        `You have reached today's limit of ${plural(this.settings.dailyImages, "image")}; it resets at midnight UTC.`,
      );
    }
  }

  /** Frees the job's slot without counting anything: a job refused, cancelled or failed for good. */
  async release(user: LimitedUser, jobId: string): Promise<void> {
    await this.redis.zrem(this.activeKey(user), jobId);
  }

  /**
   * The job's images are made and stored: frees its slot and counts the images against today's limit, once
   * per job however often it is called (a failed job costs the person nothing against the daily limit).
   */
  async settle(user: LimitedUser, jobId: string, images: number, now = new Date()): Promise<void> {
    await this.redis.eval(
      SETTLE,
      3,
      this.activeKey(user),
      this.dayKey(user, now),
      `${this.prefix}:limits:counted:${user.platform}:${user.id}:${jobId}`,
      jobId,
      images,
      DAY_KEY_TTL_SECONDS,
    );
  }

  /** The jobs holding one person's slots. */
  async activeJobs(user: LimitedUser): Promise<string[]> {
    return this.redis.zrange(this.activeKey(user), "0", "-1");
  }

  async imagesToday(user: LimitedUser, now = new Date()): Promise<number> {
    return Number((await this.redis.get(this.dayKey(user, now))) ?? 0);
  }

  private activeKey(user: LimitedUser): string {
    return `${this.prefix}:limits:active:${user.platform}:${user.id}`;
  }

  private dayKey(user: LimitedUser, now: Date): string {
    return `${this.prefix}:limits:images:${user.platform}:${user.id}:${now.toISOString().slice(0, 10)}`;
  }
}
