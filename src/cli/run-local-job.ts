import { userInfo } from "node:os";
import type { Config } from "../config.js";
import type { ImageRequest } from "../core/request.js";
import type { EngineInputs } from "../engine/events.js";
import type { Logger } from "../logger.js";
import { connectRedis, createRedisConnection } from "../queue/connection.js";
import { createImagineQueue } from "../queue/imagine-queue.js";
import { createRunnerDeps } from "../queue/runner-deps.js";
import { enqueueRun } from "../queue/submit.js";
import { createImagineWorker } from "../queue/worker.js";
import { RendererRegistry } from "../render/registry.js";
import { type TerminalOutput, TerminalRenderer } from "../render/terminal-renderer.js";
import { newRunId } from "../storage/run-id.js";

export interface LocalJobOptions {
  config: Config;
  request: ImageRequest;
  /** Already checked by `prepareInputs`. */
  inputs: EngineInputs;
  outDir: string;
  /** Name of a local conversation to continue (Responses API chaining). */
  thread: string | undefined;
  progress: TerminalOutput;
  logger: Logger;
  /** Aborting cancels the job, and with it the OpenAI request. */
  signal?: AbortSignal;
}

/**
 * Runs one job the way the bot does — a real BullMQ queue on Redis, a worker, the engine, the run folder —
 * but in this process, with the terminal as the renderer. The queue is private to this invocation so that
 * no other worker on the same Redis can take the job (its renderer writes to this terminal).
 */
export async function runLocalJob(
  options: LocalJobOptions,
): Promise<{ runId: string; renderer: TerminalRenderer }> {
  const { config, logger } = options;
  const runId = newRunId();
  const producer = await connectRedis(createRedisConnection(config.redisUrl, "producer"), config.redisUrl);
  const workerConnection = createRedisConnection(config.redisUrl, "worker");
  const renderer = new TerminalRenderer(options.progress, options.request.partials);
  const renderers = new RendererRegistry().register("terminal", () => renderer);
  const deps = createRunnerDeps(config, workerConnection, renderers, logger, options.outDir);
  const queueName = `cli-${runId}`;
  const queue = createImagineQueue(producer, config.queuePrefix, queueName);
  const worker = createImagineWorker(deps, {
    connection: workerConnection,
    prefix: config.queuePrefix,
    concurrency: 1,
    queueName,
  });
  const onAbort = () => worker.cancelJob(runId, "cancelled from the terminal");
  options.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    const finished = new Promise<void>((resolve) => {
      // `failed` also fires for an attempt BullMQ will retry; the renderer hears only of the last one.
      const done = (job: { id?: string } | undefined) => {
        if (job?.id === runId && renderer.outcome !== undefined) resolve();
      };
      worker.on("completed", done);
      worker.on("failed", done);
    });
    const user = userInfo().username;
    const { position } = await enqueueRun(queue, deps.runs, {
      runId,
      request: options.request,
      inputs: options.inputs,
      user: { platform: "cli", id: user },
      ...(options.thread ? { thread: { platform: "cli", workspace: user, thread: options.thread } } : {}),
      reply: { kind: "terminal" },
    });
    await renderer.queued(position);
    await finished;
    return { runId, renderer };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    producer.disconnect();
    workerConnection.disconnect();
  }
}
