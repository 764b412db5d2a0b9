import { randomUUID } from "node:crypto";
import type { RedisClient } from "../core/redis-slots.js";
import type { BlobStore } from "../storage/blob-store.js";
import type { ReadinessCheck } from "./readiness-cache.js";

/** Redis answers a PING on the process's fail-fast connection (a blip shows at once, not after retries). */
export function redisCheck(redis: RedisClient): ReadinessCheck {
  return {
    name: "redis",
    async check() {
      await redis.ping();
    },
  };
}

/**
 * Run storage takes a small file and gives it back: what a job's first write needs. The probe has a folder of
 * its own, removed after, so that probes of processes sharing the storage never meet.
 */
export function storageCheck(blobs: BlobStore): ReadinessCheck {
  return {
    name: "storage",
    async check() {
      const folder = `_readiness/${process.pid}-${randomUUID()}`;
      await blobs.put(`${folder}/probe`, "ok");
      try {
        if ((await blobs.get(`${folder}/probe`)).toString() !== "ok")
          throw new Error("storage gave back something else than was written");
      } finally {
        await blobs.removeFolder(folder).catch(() => undefined);
      }
    },
  };
}
