import type { Config } from "../config/types.js";
import { errorMessage } from "../core/errors.js";
import { connectRedis, createRedisConnection, redisVariable } from "../queue/connection.js";
import { createImagineQueue, type ImagineQueue } from "../queue/imagine-queue.js";
import { LEGACY_QUEUE, PLATFORM_REPLY_KINDS, queueNameFor } from "../queue/platform-queues.js";
import type { CheckOutcome } from "./checks.js";

/** The reply kinds a worker of this configuration can show: the platforms whose token (or studio) is set. */
function shownKinds(config: Config): string[] {
  const on: Record<(typeof PLATFORM_REPLY_KINDS)[number], boolean> = {
    discord: config.discord !== undefined,
    slack: config.slack !== undefined,
    web: config.web !== undefined,
  };
  return PLATFORM_REPLY_KINDS.filter((kind) => on[kind]);
}

/**
 * The queues (one per platform, src/queue/platform-queues.ts): which of them a worker here takes jobs from, what
 * waits in each, and a warning while the old shared queue still holds jobs a worker of this version will move.
 */
export async function checkQueues(config: Config): Promise<CheckOutcome> {
  const redis = createRedisConnection(config, "producer");
  const queues: ImagineQueue[] = [];
  try {
    // Connected before the queues are made: BullMQ would connect it itself, and report failures less clearly.
    await connectRedis(redis, config);
    for (const name of [...PLATFORM_REPLY_KINDS.map(queueNameFor), LEGACY_QUEUE])
      queues.push(createImagineQueue(redis, config.queuePrefix, name));
    const waiting = await Promise.all(
      queues.map(async (queue) => {
        const counts = await queue.getJobCounts("waiting", "prioritized", "delayed");
        return Object.values(counts).reduce((sum, count) => sum + count, 0);
      }),
    );
    const kinds = shownKinds(config);
    const takes =
      kinds.length > 0
        ? `a worker here takes ${kinds.map(queueNameFor).join(", ")}`
        : "a worker here takes no job: set a platform's token";
    const queued = PLATFORM_REPLY_KINDS.map((kind, index) => `${queueNameFor(kind)} ${waiting[index]}`);
    const detail = `${takes}; waiting: ${queued.join(", ")}`;
    const left = waiting.at(-1) ?? 0;
    if (left > 0)
      return {
        name: "queues",
        ok: true,
        warning: true,
        detail: `${detail}; the old shared queue ${LEGACY_QUEUE} holds ${left}: a worker of this version moves them as it starts`,
      };
    return { name: "queues", ok: true, ...(kinds.length === 0 ? { warning: true } : {}), detail };
  } catch (error) {
    const fix = `start Redis or fix ${redisVariable(config)}`;
    return { name: "queues", ok: false, detail: `${errorMessage(error)}: ${fix}` };
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
    redis.disconnect();
  }
}
