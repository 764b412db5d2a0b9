import type { RedisClient } from "../core/redis-slots.js";
import type { ThreadStyle } from "../core/thread-style.js";
import { THREAD_TTL_SECONDS, type ThreadAddress } from "./threads.js";

/**
 * Appends images to a thread's pins only while they stay within the cap, in one step, so two pins at once
 * cannot make 17. Answers the new count, or -1 - the count pinned when the cap refused them.
 */
const PIN_IMAGES = `
local raw = redis.call('HGET', KEYS[1], 'images')
local images = raw and cjson.decode(raw) or {}
local adding = cjson.decode(ARGV[1])
if #images + #adding > tonumber(ARGV[2]) then return -1 - #images end
for _, key in ipairs(adding) do table.insert(images, key) end
redis.call('HSET', KEYS[1], 'images', cjson.encode(images))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return #images
`;

/** Why a pin was refused: the thread already holds `pinned` images. */
export interface PinRefused {
  refused: true;
  pinned: number;
}

/**
 * Each thread's pinned style, in Redis: one hash per thread (its sentence, its images' storage keys), living
 * as long as the thread's turns do (`THREAD_TTL_SECONDS`, renewed on every pin), keyed like them.
 */
export class ThreadStyleStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  key(address: ThreadAddress): string {
    return `${this.prefix}:thread-style:${address.platform}:${address.workspace}:${address.thread}`;
  }

  /** What is pinned; undefined when nothing is. */
  async get(address: ThreadAddress): Promise<ThreadStyle | undefined> {
    const { sentence, images } = await this.redis.hgetall(this.key(address));
    const imageKeys = images ? (JSON.parse(images) as string[]) : [];
    if (sentence === undefined && imageKeys.length === 0) return undefined;
    return { ...(sentence ? { sentence } : {}), imageKeys };
  }

  /** Adds images after those pinned, unless that would make more than `max`. */
  async pinImages(
    address: ThreadAddress,
    keys: readonly string[],
    max: number,
  ): Promise<{ pinned: number } | PinRefused> {
    const count = (await this.redis.eval(
      PIN_IMAGES,
      1,
      this.key(address),
      JSON.stringify(keys),
      String(max),
      String(THREAD_TTL_SECONDS),
    )) as number;
    return count < 0 ? { refused: true, pinned: -1 - count } : { pinned: count };
  }

  /** Pins the sentence, replacing the one pinned before. */
  async pinSentence(address: ThreadAddress, sentence: string): Promise<void> {
    const key = this.key(address);
    await this.redis.multi().hset(key, "sentence", sentence).expire(key, THREAD_TTL_SECONDS).exec();
  }

  /** Unpins everything; answers what was pinned, whose stored images the caller removes. */
  async clear(address: ThreadAddress): Promise<ThreadStyle | undefined> {
    const key = this.key(address);
    const style = await this.get(address);
    await this.redis.del(key);
    return style;
  }
}
