import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REQUEST_ERROR_CODES } from "../../src/core/error-codes.js";
import type { JobSpec } from "../../src/core/job-spec.js";
import { newRunId } from "../../src/core/run-id.js";
import { resolveRequest } from "../../src/core/validate-request.js";
import { CASES } from "../core/request-cases.js";
import { type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";

/**
 * "An invalid request makes zero HTTP requests to OpenAI", checked where it matters most: job data that
 * reached Redis without an adapter's check (an older release, another tool, a hand-made job). Every rule of
 * the validation table and every input-file rule goes through the real worker against the fake OpenAI.
 */
let pipeline: Pipeline;
let image: Buffer;
let mask: Buffer;

beforeAll(async () => {
  pipeline = await startPipeline("costs-nothing");
  image = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#446688" } })
    .png()
    .toBuffer();
  mask = await sharp({ create: { width: 1024, height: 1024, channels: 4, background: "#0000" } })
    .png()
    .toBuffer();
});
afterAll(() => pipeline.close());

async function runJob(
  request: Record<string, unknown>,
  images: Buffer[],
  maskBytes?: Buffer,
  markupBytes?: Buffer,
) {
  const runId = newRunId();
  const runs = pipeline.deps.runs;
  const imageKeys = await Promise.all(
    images.map((bytes, index) => runs.putInput(runId, `image_${index}.png`, bytes)),
  );
  const maskKey = maskBytes && (await runs.putInput(runId, "mask.png", maskBytes));
  const markupKey = markupBytes && (await runs.putInput(runId, "markup.png", markupBytes));
  const spec = {
    version: 1,
    runId,
    request,
    inputs: {
      images: imageKeys,
      ...(maskKey ? { mask: maskKey } : {}),
      ...(markupKey ? { markup: markupKey } : {}),
    },
    user: { platform: "discord", id: "123456789012345678" },
    reply: { kind: "terminal" },
    queuedAt: new Date().toISOString(),
  } as JobSpec;
  const outcome = settled(pipeline.worker, runId);
  // Straight onto the queue: `enqueueImagine` would refuse what the schema refuses, and this test is about
  // what the worker does with data nobody checked.
  await pipeline.queue.add("imagine", spec, { jobId: runId });
  return outcome;
}

const valid = resolveRequest(
  { prompt: "a valid base" },
  { imageCount: 0, hasMask: false },
  { model: "gpt-image-2" },
);

/** The case's options over a valid request, as an adapter would have resolved them (gif/svg stream no partials). */
function requestFor(options: Record<string, unknown>): Record<string, unknown> {
  const still = options.format === "gif" || options.format === "svg";
  return { ...valid, ...(still ? { partials: 0 } : {}), ...options };
}

describe("invalid job data costs nothing", () => {
  it.each(CASES)("%s (%j) fails in the worker with no request to OpenAI", async (code, options, inputs) => {
    const images = Array.from({ length: inputs.imageCount }, () => image);
    const { error, attemptsMade } = await runJob(
      requestFor(options),
      images,
      inputs.hasMask ? mask : undefined,
      // A fully transparent PNG the image's size is a valid markup as well as a valid mask.
      inputs.hasMarkup ? mask : undefined,
    );
    expect(error?.name).toBe("UnrecoverableError");
    expect(attemptsMade).toBe(1);
    // Values outside the job schema's types (n 2.5, 17 images) stop even earlier, at the schema.
    expect(error?.message).toMatch(new RegExp(`^(${code}: |invalid job data$)`));
    expect(pipeline.fake.requests).toHaveLength(0);
  });

  it("reaches the rule itself, not only the schema, for nearly every code", async () => {
    const reached = new Set<string>();
    for (const [code, options, inputs] of CASES) {
      const images = Array.from({ length: inputs.imageCount }, () => image);
      const { error } = await runJob(
        requestFor(options),
        images,
        inputs.hasMask ? mask : undefined,
        inputs.hasMarkup ? mask : undefined,
      );
      if (error?.message.startsWith(`${code}: `)) reached.add(code);
    }
    expect(reached.size).toBeGreaterThanOrEqual(REQUEST_ERROR_CODES.length - 3);
    expect(pipeline.fake.requests).toHaveLength(0);
  });

  it.each([
    ["image_corrupt", () => [image.subarray(0, image.length / 2)], undefined],
    ["image_unreadable", () => [Buffer.from("not an image at all")], undefined],
    [
      "image_format_unsupported",
      () => [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>')],
      undefined,
    ],
    [
      "mask_size_mismatch",
      () => [image],
      () =>
        sharp({ create: { width: 512, height: 512, channels: 4, background: "#0000" } })
          .png()
          .toBuffer(),
    ],
  ] as const)(
    "input rule %s fails in the worker with no request to OpenAI",
    async (code, makeImages, makeMask) => {
      const { error } = await runJob(
        { ...valid },
        await makeImages(),
        makeMask ? await makeMask() : undefined,
      );
      expect(error?.message).toMatch(new RegExp(`^${code}: `));
      expect(pipeline.fake.requests).toHaveLength(0);
    },
  );

  it("still runs a valid job on the same worker (the failures above are the data's, not the set-up's)", async () => {
    const { result } = await runJob({ ...valid, partials: 0 }, []);
    expect(result?.finals).toHaveLength(1);
    expect(pipeline.fake.requests).toHaveLength(1);
  });
});
