import type { Job } from "bullmq";
import type { JobResult, JobSpec } from "../core/job-spec.js";
import type { RedisClient } from "../core/redis-slots.js";
import { createImagineQueue, type ImagineQueue, type JobQueues } from "./imagine-queue.js";

/**
 * The reply kinds whose jobs go through the shared queues, one queue each: a worker consumes only the queues
 * whose platform it can show, so a Slack-only worker never takes a Discord job (it used to take it, put it
 * back and spend an images-per-minute slot each time). The CLI's runs stay on a private queue of their own.
 */
export const PLATFORM_REPLY_KINDS = ["discord", "slack", "web"] as const;

/**
 * The one queue every platform shared before. Jobs still in it at an upgrade are moved to their platform's
 * queue (src/queue/legacy-queue.ts); until it is empty it is looked in, shown and counted with the others.
 */
export const LEGACY_QUEUE = "imagine";

/** The one place a job's queue is decided: by the platform that shows it (its `reply.kind`). */
export function queueNameFor(replyKind: string): string {
  return `imagine-${replyKind}`;
}

/** The bot's queues: one per platform, and the old shared one, on the producer's connection. */
export class PlatformQueues implements JobQueues {
  private readonly byKind: Map<string, ImagineQueue>;
  private readonly legacy: ImagineQueue;

  constructor(connection: RedisClient, prefix: string) {
    this.byKind = new Map(
      PLATFORM_REPLY_KINDS.map((kind) => [kind, createImagineQueue(connection, prefix, queueNameFor(kind))]),
    );
    this.legacy = createImagineQueue(connection, prefix, LEGACY_QUEUE);
  }

  forKind(replyKind: string): ImagineQueue {
    const queue = this.byKind.get(replyKind);
    if (queue === undefined) throw new Error(`no queue for reply kind "${replyKind}"`);
    return queue;
  }

  get all(): readonly ImagineQueue[] {
    return [...this.byKind.values(), this.legacy];
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((queue) => queue.close()));
  }
}

/** One queue for every kind: the CLI's private queue, whose only worker is the invocation's own. */
export function singleQueue(queue: ImagineQueue): JobQueues {
  return { forKind: () => queue, all: [queue] };
}

/**
 * The job of a run, in whichever queue holds it. A run id names one job in one queue, so at most one answers;
 * the queues are asked together (one round trip's wait, not one per platform).
 */
export async function findJob(
  queues: JobQueues,
  runId: string,
): Promise<Job<JobSpec, JobResult> | undefined> {
  const found = await Promise.all(queues.all.map((queue) => queue.getJob(runId)));
  return found.find((job) => job !== undefined);
}
