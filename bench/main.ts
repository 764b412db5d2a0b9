/**
 * `npm run bench`: speed and memory of the parts that run on every job, measured rather than guessed.
 * Needs the Redis on REDIS_URL (default redis://127.0.0.1:6379, like the tests); OpenAI is the in-repo fake, so the numbers
 * are our overhead, not the model's time.
 */
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { prepareInputs } from "../src/media/check-inputs.js";
import { enqueueImagine } from "../src/queue/imagine-queue.js";
import type { JobSpec } from "../src/queue/job-spec.js";
import { CoalescingRenderer } from "../src/render/coalescing-renderer.js";
import type { Renderer } from "../src/render/renderer.js";
import { newRunId } from "../src/storage/run-id.js";
import { settled, startPipeline } from "../test/helpers/pipeline.js";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function benchInputChecks(): Promise<void> {
  for (const [width, height] of [
    [1024, 1024],
    [3840, 2160],
  ] as const) {
    const image = await sharp({ create: { width, height, channels: 3, background: "#2266aa" } })
      .png()
      .toBuffer();
    const mask = await sharp({ create: { width, height, channels: 3, background: "#000" } })
      .composite([
        {
          input: Buffer.from(
            `<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${height / 4}" fill="#fff"/></svg>`,
          ),
        },
      ])
      .png()
      .toBuffer();
    const rounds = 10;
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      await prepareInputs([{ name: "a.png", bytes: image }], { name: "mask.png", bytes: mask });
    }
    const each = (performance.now() - started) / rounds;
    console.log(
      `input check + mask conversion ${width}x${height}: ${ms(each)}/op, rss +${mib(process.memoryUsage().rss - rssBefore)}`,
    );
  }
}

async function benchCoalescing(): Promise<void> {
  let delivered = 0;
  const slow: Renderer = {
    queued: async () => {},
    started: async () => {},
    partial: async () => {
      delivered += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
    text: async () => {},
    completed: async () => {},
    failed: async () => {},
  };
  const renderer = new CoalescingRenderer(slow);
  const frame = { bytes: Buffer.alloc(512 * 1024), format: "png" as const };
  const started = performance.now();
  for (let index = 0; index < 1000; index++) {
    await renderer.partial(frame, index);
    if (index % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const produced = performance.now() - started;
  await renderer.completed({} as never);
  console.log(
    `coalescing: 1000 frames offered in ${ms(produced)} against a 20 ms edit, ${delivered} edits made, final after ${ms(performance.now() - started)}`,
  );
}

async function benchPipeline(): Promise<void> {
  const pipeline = await startPipeline("bench");
  // Every job in flight waits on the worker's events; 30 waiters are expected, not a leak.
  pipeline.worker.setMaxListeners(64);
  try {
    const jobs = 30;
    const latencies: number[] = [];
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: jobs }, async (_, index) => {
        const runId = newRunId();
        const spec: JobSpec = {
          version: 1,
          runId,
          request: {
            prompt: `bench ${index}`,
            model: "gpt-image-2",
            api: "images",
            size: "1024x1024",
            quality: "auto",
            n: 1,
            format: "png",
            background: "auto",
            moderation: "auto",
            partials: 2,
          },
          inputs: { images: [] },
          user: { platform: "bench", id: "bench" },
          reply: { kind: "terminal" },
          queuedAt: new Date().toISOString(),
        };
        const enqueued = performance.now();
        const done = settled(pipeline.worker, runId);
        await enqueueImagine(pipeline.queue, spec);
        await done;
        latencies.push(performance.now() - enqueued);
      }),
    );
    const total = performance.now() - started;
    clearInterval(sampler);
    latencies.sort((a, b) => a - b);
    console.log(
      `pipeline: ${jobs} jobs (2 partials each, 1024x1024, fake OpenAI) at concurrency 2: ${(jobs / (total / 1000)).toFixed(1)} jobs/s, ` +
        `p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, peak rss ${mib(peakRss)}`,
    );
  } finally {
    await pipeline.close();
  }
}

await benchInputChecks();
await benchCoalescing();
await benchPipeline();
