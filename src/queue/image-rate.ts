import { randomUUID } from "node:crypto";
import type { RedisClient } from "../core/redis-slots.js";
import type { ImageRequest } from "../core/request.js";

/**
 * OpenAI limits an organisation's images per minute, not its requests: one job may ask for 1 to 10 images.
 * BullMQ's worker `limiter` counts jobs, so on its own it would let ten 10-image jobs through a 10-a-minute
 * limit. The gate below counts images in a sliding window in Redis, one window for every worker on every
 * platform's queue (the limit is the organisation's); a job that does not fit is not counted, and goes back to
 * the front of its waiting list through BullMQ's manual rate limit (`queue.rateLimit` + `RateLimitError`: no
 * attempt spent, every worker of that queue pauses until it would fit, so each queue asks the gate once per
 * wait, not once per job).
 */

/** At most `max` images started in any `durationMs`. */
export interface ImageRate {
  max: number;
  durationMs: number;
}

/** `OPENAI_IMAGES_PER_MINUTE`: 0 means no limit. */
export function imagesPerMinute(limit: number): ImageRate | undefined {
  return limit > 0 ? { max: limit, durationMs: 60_000 } : undefined;
}

/** The images a job's request makes, as OpenAI counts them: `n` (a GIF or SVG is one image per `n`). */
export function imagesOf(request: Pick<ImageRequest, "n">): number {
  return Math.max(1, request.n);
}

/**
 * KEYS[1]: a sorted set with one member per image started, scored by Redis's clock (one clock for every
 * worker machine). ARGV: max, duration (ms), images, a unique id for this start.
 * Returns 0 when the images were counted (start now), else the milliseconds until enough older images have
 * left the window. A job asking for more than `max` starts alone, in an empty window: it can never fit, and
 * OpenAI, not the queue, is then the one to say so.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max, duration, images = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - duration)
local used = redis.call('ZCARD', KEYS[1])
if used == 0 or used + images <= max then
  for i = 1, images do redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. i) end
  redis.call('PEXPIRE', KEYS[1], duration)
  return 0
end
local leaving = math.min(used + images - max, used)
local entry = redis.call('ZRANGE', KEYS[1], leaving - 1, leaving - 1, 'WITHSCORES')
return math.max(1, tonumber(entry[2]) + duration - now)
`;

/** The shared window of every queue's images. */
export class ImageRateGate {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    readonly rate: ImageRate,
  ) {}

  /**
   * Counts `images` as started now if they fit in the window, atomically across workers.
   * @returns 0 when they were counted, else how many milliseconds to wait before asking again.
   */
  async take(images: number, runId: string): Promise<number> {
    const { max, durationMs } = this.rate;
    const id = `${runId}:${randomUUID()}`;
    return Number(await this.redis.eval(TAKE, 1, this.key, max, durationMs, images, id));
  }
}

/**
 * One key for every queue; its name is the one the single queue of earlier versions (`imagine`) used, so the
 * images of the last minute before an upgrade still count after it. Its script touches it alone, so on a Redis
 * Cluster it needs no hash tag.
 */
export function imageRateKey(prefix: string): string {
  return `${prefix}:image-rate:imagine`;
}
