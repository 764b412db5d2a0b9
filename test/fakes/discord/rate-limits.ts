import { createHash } from "node:crypto";
import type { FakeWorld } from "./state.js";
import type { RecordedRequest } from "./types.js";

export interface RateLimitOptions {
  /** Requests per bucket per window (default 5, like most message routes). */
  limit: number;
  windowMs: number;
}

export type RateLimitVerdict =
  | { limited: false; headers: Record<string, string> }
  | { limited: true; headers: Record<string, string>; body: Record<string, unknown> };

/** Bucket = method + route shape + major parameter (channel id, or webhook id + token), like Discord's. */
function bucketOf(request: RecordedRequest): string {
  const path = request.path;
  const major =
    /^\/(channels|guilds)\/(\d+)/.exec(path)?.[0] ??
    /^\/(webhooks|interactions)\/(\d+)\/[^/]+/.exec(path)?.[0] ??
    "";
  const shape = path
    .replace(/\d{17,19}/g, ":id")
    .replace(/\/(webhooks|interactions)\/:id\/[^/]+/, "/$1/:id/:token");
  return `${request.method} ${shape} ${major}`;
}

function limitedAnswer(retryAfterSeconds: number, global: boolean, bucket: string): RateLimitVerdict {
  return {
    limited: true,
    headers: {
      "retry-after": String(retryAfterSeconds),
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String((Date.now() + retryAfterSeconds * 1000) / 1000),
      "x-ratelimit-reset-after": retryAfterSeconds.toFixed(3),
      "x-ratelimit-bucket": bucket,
      "x-ratelimit-scope": global ? "global" : "user",
      ...(global ? { "x-ratelimit-global": "true" } : {}),
    },
    body: { message: "You are being rate limited.", retry_after: retryAfterSeconds, global },
  };
}

/**
 * Injected 429s first (FIFO, optionally only for matching paths), then real per-bucket limits: a client
 * that ignores `x-ratelimit-remaining: 0` gets 429s, which is what a "429 storm" test looks for.
 */
export function checkRateLimit(
  world: FakeWorld,
  request: RecordedRequest,
  options: RateLimitOptions,
): RateLimitVerdict {
  const key = bucketOf(request);
  const bucket = createHash("sha1").update(key.split(" ").slice(0, 2).join(" ")).digest("hex").slice(0, 16);
  const injected = world.rateLimits.find(
    (limit) =>
      limit.remaining > 0 &&
      (limit.match === undefined || limit.match.test(`${request.method} ${request.path}`)),
  );
  if (injected) {
    injected.remaining -= 1;
    if (injected.remaining === 0) world.rateLimits.splice(world.rateLimits.indexOf(injected), 1);
    return limitedAnswer(injected.retryAfterSeconds, injected.global, bucket);
  }
  const now = Date.now();
  const recent = (world.buckets.get(key) ?? []).filter((at) => now - at < options.windowMs);
  if (recent.length >= options.limit) {
    const first = recent[0] ?? now;
    world.buckets.set(key, recent);
    return limitedAnswer((first + options.windowMs - now) / 1000, false, bucket);
  }
  recent.push(now);
  world.buckets.set(key, recent);
  const first = recent[0] ?? now;
  const resetAfter = Math.max(0, first + options.windowMs - now) / 1000;
  return {
    limited: false,
    headers: {
      "x-ratelimit-limit": String(options.limit),
      "x-ratelimit-remaining": String(options.limit - recent.length),
      "x-ratelimit-reset": String((now + resetAfter * 1000) / 1000),
      "x-ratelimit-reset-after": resetAfter.toFixed(3),
      "x-ratelimit-bucket": bucket,
    },
  };
}
