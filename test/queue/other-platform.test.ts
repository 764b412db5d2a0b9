import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { enqueueImagine } from "../../src/queue/imagine-queue.js";
import { createImagineWorker } from "../../src/queue/worker.js";
import { RendererRegistry } from "../../src/render/registry.js";
import { TerminalRenderer } from "../../src/render/terminal-renderer.js";
import { createRunnerDeps } from "../../src/runner/runner-deps.js";
import { CapturedOutput, lighthouseJob, type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";
import { waitFor } from "../helpers/wait-for.js";

/**
 * Two bots on one Redis and queue prefix, each with one platform's token (a Discord bot, a Slack bot): a worker
 * that takes the other platform's job leaves it for a worker that can show it, instead of failing it and
 * leaving the person's message queued for good.
 */
let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("other-platform");
});
afterAll(() => pipeline.close());

describe("a job of a platform this worker cannot show", () => {
  it("goes back to the queue, costs nothing, and is run by a worker that can show it", async () => {
    const spec = lighthouseJob({ replyKind: "elsewhere" });
    await enqueueImagine(pipeline.queue, spec);
    await waitFor(
      "the job left for another worker",
      async () => (await pipeline.queue.getJobState(spec.runId)) === "delayed",
    );
    expect(pipeline.fake.requests).toHaveLength(0);
    const job = await pipeline.queue.getJob(spec.runId);
    expect(job?.attemptsMade).toBe(0);

    // The other bot's worker, with the platform's renderer.
    const output = new CapturedOutput();
    const renderers = new RendererRegistry().register(
      "elsewhere",
      (job) => new TerminalRenderer(output, job.request.partials),
    );
    const deps = await createRunnerDeps(pipeline.config, pipeline.redis, renderers, createLogger("silent"));
    const capable = createImagineWorker(deps, {
      connection: pipeline.redis,
      prefix: pipeline.config.queuePrefix,
      concurrency: 1,
    });
    try {
      const { error } = await settled(capable, spec.runId);
      expect(error).toBeUndefined();
      expect(pipeline.fake.requests).toHaveLength(1);
    } finally {
      await capable.close();
    }
  });
});
