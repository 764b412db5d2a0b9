import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { JobSpec, ThreadRef } from "../../src/core/job-spec.js";
import type { ImageRequest } from "../../src/core/request.js";
import { newRunId } from "../../src/core/run-id.js";
import { resolveRequest } from "../../src/core/validate-request.js";
import { checkOptions, enqueueRun } from "../../src/intake/enqueue-run.js";
import { checkInputHeaders } from "../../src/media/check-inputs.js";
import { enqueueImagine } from "../../src/queue/imagine-queue.js";
import type { RunMetadata } from "../../src/storage/run-store.js";
import { type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("pipeline");
});
afterAll(() => pipeline.close());
beforeEach(() => pipeline.fake.reset());

interface RunOptions {
  raw: Record<string, unknown>;
  images?: Buffer[];
  mask?: Buffer;
  thread?: ThreadRef;
}

/** Does what an adapter does (validate, check inputs, store them, enqueue) and waits for the worker. */
async function run({ raw, images = [], mask, thread }: RunOptions) {
  const request = checkOptions(
    raw,
    { imageCount: images.length, hasMask: mask !== undefined },
    { model: pipeline.config.openai.defaultImageModel },
  );
  const inputs = await checkInputHeaders(
    images.map((bytes, index) => ({ name: `upload_${index}`, bytes })),
    mask && { name: "mask_upload", bytes: mask },
  );
  const runId = newRunId();
  const outcome = settled(pipeline.worker, runId);
  await enqueueRun(pipeline.queues, pipeline.deps.runs, {
    runId,
    request,
    inputs,
    user: { platform: "discord", id: "123456789012345678", workspace: "223456789012345678" },
    ...(thread ? { thread } : {}),
    reply: { kind: "terminal" },
  });
  const finished = await outcome;
  const folder = join(pipeline.storageDir, runId);
  const metadata = JSON.parse(await readFile(join(folder, "metadata.json"), "utf8")) as RunMetadata;
  const output = pipeline.outputs.get(runId)?.output.text ?? "";
  return { ...finished, runId, folder, metadata, output, files: (await readdir(folder)).sort() };
}

const solid = (width: number, height: number, colour: string, format: "png" | "jpeg" | "webp" = "png") =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .toFormat(format)
    .toBuffer();

describe("the worker pipeline (real BullMQ, real engine, fake OpenAI)", () => {
  it("streams 2 partials through the queue to the terminal renderer, then the final", async () => {
    const { result, metadata, output, files, folder } = await run({
      raw: { prompt: "a lighthouse at dusk", size: "1536x1024", partials: "2" },
    });
    expect(result?.finals).toHaveLength(1);
    expect(output).toMatch(/partial 1\/2 received \(png, \d+ KB\)/);
    expect(output).toMatch(/partial 2\/2 received/);
    expect(output).toMatch(/done: 1 image after 2 partials/);
    expect(output.indexOf("partial 1/2")).toBeLessThan(output.indexOf("done"));
    // No inputs for a generation, so no inputs/ folder.
    expect(files).toEqual(["final_0.png", "metadata.json", "partial_0.png", "partial_1.png"]);
    const final = await sharp(join(folder, "final_0.png")).metadata();
    expect([final.format, final.width, final.height]).toEqual(["png", 1536, 1024]);

    expect(pipeline.fake.requests).toHaveLength(1);
    const sent = pipeline.fake.requests[0]?.json as Record<string, unknown>;
    expect(sent).toMatchObject({
      prompt: "a lighthouse at dusk",
      size: "1536x1024",
      stream: true,
      partial_images: 2,
    });
    // safety_identifier is a hash, never the platform's user id.
    expect(sent.safety_identifier).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(sent)).not.toContain("123456789012345678");

    expect(metadata).toMatchObject({
      status: "completed",
      prompt: "a lighthouse at dusk",
      model: "gpt-image-2",
      attempts: 1,
    });
    expect(metadata.sentParameters).toMatchObject({ partial_images: 2, size: "1536x1024" });
    expect(metadata.usage).toBeDefined();
    expect(metadata.timings.totalMs).toBeGreaterThanOrEqual(0);
    expect(metadata.partials).toHaveLength(2);
    expect(JSON.stringify(metadata)).not.toContain("sk-test-key");
  });

  it("keeps every partial of every image when n > 1 (each image's stream counts from 0 again)", async () => {
    const { metadata, files } = await run({ raw: { prompt: "two kites", n: "2", partials: "2" } });
    expect(metadata.finals).toHaveLength(2);
    expect(metadata.partials).toHaveLength(4);
    expect(files.filter((name) => name.startsWith("partial_"))).toHaveLength(4);
  });

  it("edits several input images with a black-and-white mask converted to alpha", async () => {
    const first = await solid(1024, 1024, "#336699");
    const second = await solid(640, 480, "#aa3300", "jpeg");
    const third = await solid(512, 512, "#00aa33", "webp");
    // Black keeps, white is the area to edit.
    const mask = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#000" } })
      .composite([{ input: await solid(512, 512, "#fff"), left: 256, top: 256 }])
      .png()
      .toBuffer();
    const { result, files, metadata } = await run({
      raw: { prompt: "put the three together", partials: "1" },
      images: [first, second, third],
      mask,
    });
    expect(result?.finals).toHaveLength(1);
    expect(files).toContain("inputs");
    expect(metadata.inputs.images).toHaveLength(3);
    expect(metadata.inputs.mask).toMatch(/inputs\/mask\.png$/);

    const request = pipeline.fake.requests[0];
    expect(request?.path).toMatch(/\/images\/edits$/);
    const form = request?.form;
    const images = form?.files.filter((file) => file.field.startsWith("image")) ?? [];
    expect(images.map((file) => file.contentType)).toEqual(["image/png", "image/jpeg", "image/webp"]);
    const sentMask = form?.files.find((file) => file.field === "mask");
    expect(sentMask?.contentType).toBe("image/png");
    const { data, info } = await sharp(sentMask?.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    const alphaAt = (x: number, y: number) => data[(y * info.width + x) * 4 + 3];
    expect(alphaAt(10, 10)).toBe(255); // black: keep
    expect(alphaAt(512, 512)).toBe(0); // white: edit
  });

  it("chains Responses turns in a thread with previous_response_id, and branches from an earlier turn", async () => {
    const thread: ThreadRef = {
      platform: "discord",
      workspace: "223456789012345678",
      thread: "323456789012345678",
    };
    const first = await run({ raw: { prompt: "a red fox", api: "responses" }, thread });
    const second = await run({ raw: { prompt: "make it winter", api: "responses" }, thread });
    const branch = await run({
      raw: { prompt: "make it autumn instead", api: "responses" },
      thread: { ...thread, parentJobId: first.runId },
    });
    const bodies = pipeline.fake.requests.map((request) => request.json as Record<string, unknown>);
    expect(bodies).toHaveLength(3);
    expect(bodies[0]?.previous_response_id).toBeUndefined();
    expect(bodies[1]?.previous_response_id).toBe(first.result?.responseId);
    expect(bodies[2]?.previous_response_id).toBe(first.result?.responseId);
    expect(second.metadata.previousResponseId).toBe(first.result?.responseId);

    const turns = await pipeline.deps.threads.turns(thread);
    expect(turns.map((turn) => [turn.jobId, turn.parentJobId])).toEqual([
      [first.runId, undefined],
      [second.runId, first.runId],
      [branch.runId, first.runId],
    ]);
    expect(turns[1]?.responseId).toBe(second.result?.responseId);
  });

  it("stops a refused job at once, tells the person why, and keeps what was stored", async () => {
    pipeline.fake.fail({ type: "moderation_blocked", stage: "input" });
    const input = await solid(1024, 1024, "#123456");
    const { error, attemptsMade, metadata, output, files } = await run({
      raw: { prompt: "something the moderation refuses" },
      images: [input],
    });
    expect(error?.name).toBe("UnrecoverableError");
    expect(attemptsMade).toBe(1);
    expect(pipeline.fake.requests).toHaveLength(1);
    expect(output).toMatch(/failed \(moderation_blocked_input\)/);
    expect(pipeline.outputs.get(metadata.runId)?.renderer.outcome).toMatchObject({ ok: false });
    expect(metadata).toMatchObject({
      status: "failed",
      error: { code: "moderation_blocked_input", kind: "refused" },
    });
    expect(files).toContain("inputs");
    expect(
      (await stat(join(pipeline.storageDir, metadata.inputs.images[0] ?? "missing"))).size,
    ).toBeGreaterThan(0);
  });

  it("retries a rate limit inside the job and succeeds on the same message", async () => {
    pipeline.fake.fail({ type: "rate_limit", retryAfterSeconds: 0 });
    const { result, metadata } = await run({ raw: { prompt: "a quiet harbour", partials: "0" } });
    expect(result?.finals).toHaveLength(1);
    expect(pipeline.fake.requests).toHaveLength(2);
    expect(metadata.attempts).toBe(2);
  });
});

describe("the worker's own check of job data", () => {
  const cases: Array<[string, Partial<ImageRequest>, string]> = [
    ["a size that is not a multiple of 16", { size: "1000x1000" }, "size_not_multiple_of_16"],
    [
      "transparency with jpeg",
      { background: "transparent", format: "jpeg" },
      "transparent_needs_png_or_webp",
    ],
    ["a retired model", { model: "gpt-image-1" }, "model_retired"],
    [
      "partials with gif",
      { model: "gpt-image-2.6-flare", format: "gif", partials: 2 },
      "partials_without_streaming",
    ],
  ];
  it.each(cases)(
    "refuses %s enqueued around the adapter, with zero requests to OpenAI",
    async (_label, override, code) => {
      const runId = newRunId();
      const spec: JobSpec = {
        version: 1,
        runId,
        request: {
          ...resolveRequest(
            { prompt: "a valid start" },
            { imageCount: 0, hasMask: false },
            { model: "gpt-image-2" },
          ),
          ...override,
        },
        inputs: { images: [] },
        user: { platform: "discord", id: "123456789012345678" },
        reply: { kind: "terminal" },
        queuedAt: new Date().toISOString(),
      };
      const outcome = settled(pipeline.worker, runId);
      await enqueueImagine(pipeline.queues, spec);
      const { error, attemptsMade } = await outcome;
      expect(error?.name).toBe("UnrecoverableError");
      expect(error?.message).toMatch(new RegExp(`^${code}: `));
      expect(attemptsMade).toBe(1);
      expect(pipeline.fake.requests).toHaveLength(0);
    },
  );
});

describe("cancelling a job", () => {
  it("stops the OpenAI stream, says so, keeps the partials, and is not retried", async () => {
    pipeline.fake.setLatency(150);
    const request = checkOptions(
      { prompt: "a slow painting", partials: "3" },
      { imageCount: 0, hasMask: false },
      {
        model: "gpt-image-2",
      },
    );
    const runId = newRunId();
    const outcome = settled(pipeline.worker, runId);
    pipeline.worker.on("progress", (job, progress) => {
      if (job.id === runId && (progress as { stage?: string }).stage === "partial") {
        pipeline.worker.cancelJob(runId, "test cancels");
      }
    });
    await enqueueRun(pipeline.queues, pipeline.deps.runs, {
      runId,
      request,
      inputs: { images: [] },
      user: { platform: "cli", id: "tester" },
      reply: { kind: "terminal" },
    });
    const { error, attemptsMade } = await outcome;
    pipeline.fake.setLatency(0);
    expect(error?.name).toBe("UnrecoverableError");
    expect(error?.message).toMatch(/^cancelled: /);
    expect(attemptsMade).toBe(1);
    expect(pipeline.fake.requests).toHaveLength(1);
    const metadata = await pipeline.deps.runs.getMetadata(runId);
    expect(metadata).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
    expect(metadata.partials.length).toBeGreaterThanOrEqual(1);
    expect(metadata.finals).toEqual([]);
    expect(pipeline.outputs.get(runId)?.output.text).toMatch(/failed \(cancelled\)/);
  });
});
