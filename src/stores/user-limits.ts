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

  /** Frees the job's slot, whatever its outcome. */
  async release(user: LimitedUser, jobId: string): Promise<void> {
    await this.redis.zrem(this.activeKey(user), jobId);
  }

  /** Counts images actually made (a failed job costs the person nothing against the daily limit). */
  async countImages(user: LimitedUser, images: number, now = new Date()): Promise<void> {
    const key = this.dayKey(user, now);
    await this.redis.multi().incrby(key, images).expire(key, DAY_KEY_TTL_SECONDS).exec();
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
