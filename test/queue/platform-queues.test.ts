import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { imageRateKey } from "../../src/queue/image-rate.js";
import { enqueueImagine } from "../../src/queue/imagine-queue.js";
import { findJob, PlatformQueues, queueNameFor } from "../../src/queue/platform-queues.js";
import { type PlatformWorkers, startPlatformWorkers } from "../../src/queue/platform-workers.js";
import { RendererRegistry } from "../../src/render/registry.js";
import { TerminalRenderer } from "../../src/render/terminal-renderer.js";
import { createRunnerDeps } from "../../src/runner/runner-deps.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { CapturedOutput, lighthouseJob, type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";
import { testRedis } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";

/**
 * Two bots on one Redis and queue prefix, each with one platform's token (a Discord bot, a Slack bot): each
 * worker consumes only its platform's queue, and the images-per-minute limit is one count for both.
 */
let pipeline: Pipeline;
let queues: PlatformQueues;
beforeAll(async () => {
  pipeline = await startPipeline("platform-queues");
  queues = new PlatformQueues(pipeline.redis, pipeline.config.queuePrefix);
});
afterAll(async () => {
  for (const queue of queues.all) await queue.obliterate({ force: true });
  await queues.close();
  await pipeline.close();
});

const opened: { workers: PlatformWorkers[]; connections: Redis[] } = { workers: [], connections: [] };
afterEach(async () => {
  for (const workers of opened.workers.splice(0)) await workers.close();
  for (const connection of opened.connections.splice(0)) connection.disconnect();
  for (const queue of queues.all) await queue.obliterate({ force: true });
  await pipeline.redis.del(imageRateKey(pipeline.config.queuePrefix));
  pipeline.fake.reset();
});

/** A worker process with only `kind`'s token: its renderer writes to a terminal the test reads. */
async function workerFor(kind: string, imagesPerMinute?: number) {
  const connection = testRedis();
  opened.connections.push(connection);
  const outputs: CapturedOutput[] = [];
  const renderers = new RendererRegistry().register(kind, (spec) => {
    const output = new CapturedOutput();
    outputs.push(output);
    return new TerminalRenderer(output, spec.request.partials);
  });
  const deps = await createRunnerDeps(pipeline.config, connection, renderers, createLogger("silent"));
  const workers = startPlatformWorkers(deps, {
    connection,
    prefix: pipeline.config.queuePrefix,
    concurrency: 2,
    imageRate: imagesPerMinute ? { max: imagesPerMinute, durationMs: 60_000 } : undefined,
  });
  for (const { worker } of workers.workers) await worker.waitUntilReady();
  opened.workers.push(workers);
  return { workers, outputs };
}

const only = (workers: PlatformWorkers) => {
  const [first] = workers.workers;
  if (first === undefined || workers.workers.length !== 1) throw new Error("expected one Worker");
  return first.worker;
};

describe("a queue per platform", () => {
  it("puts each job in its platform's queue, and each worker takes only its own platform's", async () => {
    const discord = await workerFor("discord", 10);
    const slack = await workerFor("slack", 10);
    expect(discord.workers.workers.map(({ kind }) => kind)).toEqual(["discord"]);
    expect(only(discord.workers).name).toBe(queueNameFor("discord"));

    const forDiscord = lighthouseJob({ replyKind: "discord" });
    const forSlack = lighthouseJob({ replyKind: "slack" });
    const done = [
      settled(only(discord.workers), forDiscord.runId),
      settled(only(slack.workers), forSlack.runId),
    ];
    await enqueueImagine(queues, forDiscord);
    await enqueueImagine(queues, forSlack);
    expect((await findJob(queues, forDiscord.runId))?.queueName).toBe(queueNameFor("discord"));
    expect((await findJob(queues, forSlack.runId))?.queueName).toBe(queueNameFor("slack"));

    const [shownOnDiscord, shownOnSlack] = await Promise.all(done);
    expect(shownOnDiscord?.error).toBeUndefined();
    expect(shownOnSlack?.error).toBeUndefined();
    expect(discord.outputs).toHaveLength(1);
    expect(slack.outputs).toHaveLength(1);
    // Nothing taken, put back and counted again: one image counted per job.
    expect(await pipeline.redis.zcard(imageRateKey(pipeline.config.queuePrefix))).toBe(2);
    expect(pipeline.fake.requests).toHaveLength(2);
  }, 60_000);

  it("counts the images of every queue in one images-per-minute window", async () => {
    const discord = await workerFor("discord", 2);
    const slack = await workerFor("slack", 2);
    const first = lighthouseJob({ replyKind: "discord" });
    const second = lighthouseJob({ replyKind: "slack" });
    const done = [settled(only(discord.workers), first.runId), settled(only(slack.workers), second.runId)];
    await enqueueImagine(queues, first);
    await enqueueImagine(queues, second);
    await Promise.all(done);

    // The window is full from both queues together: a third image, on either queue, waits.
    const third = lighthouseJob({ replyKind: "discord" });
    await enqueueImagine(queues, third);
    const discordQueue = queues.forKind("discord");
    await waitFor(
      "the Discord job held back by the shared limit",
      async () =>
        (await discordQueue.getRateLimitTtl(2)) > 0 &&
        (await discordQueue.getJobState(third.runId)) === "waiting",
    );
    const fourth = lighthouseJob({ replyKind: "slack" });
    await enqueueImagine(queues, fourth);
    const slackQueue = queues.forKind("slack");
    await waitFor(
      "the Slack job held back by the same window",
      async () =>
        (await slackQueue.getRateLimitTtl(2)) > 0 &&
        (await slackQueue.getJobState(fourth.runId)) === "waiting",
    );
    expect(pipeline.fake.requests).toHaveLength(2);
    // Refused, not counted: the window still holds the first two images only.
    expect(await pipeline.redis.zcard(imageRateKey(pipeline.config.queuePrefix))).toBe(2);
  }, 60_000);

  it("runs at most WORKER_CONCURRENCY jobs in a process, whichever queues they come from", async () => {
    const connection = testRedis();
    opened.connections.push(connection);
    let running = 0;
    let most = 0;
    /** A terminal renderer that counts the jobs between their start and their end. */
    class Counted extends TerminalRenderer {
      override async started(resumed?: boolean) {
        running++;
        most = Math.max(most, running);
        await super.started(resumed);
      }
      override async completed(result: Parameters<TerminalRenderer["completed"]>[0]) {
        running--;
        await super.completed(result);
      }
    }
    const renderers = new RendererRegistry();
    for (const kind of ["discord", "slack"])
      renderers.register(kind, (spec) => new Counted(new CapturedOutput(), spec.request.partials));
    const deps = await createRunnerDeps(pipeline.config, connection, renderers, createLogger("silent"));
    const workers = startPlatformWorkers(deps, {
      connection,
      prefix: pipeline.config.queuePrefix,
      concurrency: 1,
    });
    opened.workers.push(workers);
    const [discord, slack] = workers.workers.map(({ worker }) => worker);
    if (discord === undefined || slack === undefined)
      throw new Error("expected a Discord and a Slack Worker");

    const hold = holdAfterPartials(pipeline.fake, 1);
    const first = lighthouseJob({ replyKind: "discord" });
    const second = lighthouseJob({ replyKind: "slack" });
    const done = [settled(discord, first.runId), settled(slack, second.runId)];
    await enqueueImagine(queues, first);
    await waitFor("the Discord job's stream", () => pipeline.fake.requests[0]);
    // The Slack Worker may hold one job while the process is full (BullMQ's floor), but not run it.
    await enqueueImagine(queues, second);
    await waitFor(
      "the Slack job taken",
      async () => (await queues.forKind("slack").getJobState(second.runId)) === "active",
    );
    expect(pipeline.fake.requests).toHaveLength(1);
    hold.release();
    const outcomes = await Promise.all(done);
    expect(outcomes.map((outcome) => outcome.error)).toEqual([undefined, undefined]);
    expect(pipeline.fake.requests).toHaveLength(2);
    expect(most).toBe(1);
  }, 60_000);

  it("starts no Worker for a platform the process cannot show", async () => {
    const none = await workerFor("elsewhere");
    expect(none.workers.workers).toEqual([]);
  });
});
