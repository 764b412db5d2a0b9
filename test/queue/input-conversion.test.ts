import { readdir } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newRunId } from "../../src/core/run-id.js";
import { checkOptions, enqueueRun } from "../../src/intake/enqueue-run.js";
import { checkInputHeaders } from "../../src/media/check-inputs.js";
import { type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";
import { bmp, quadrants, quadrantsHeic } from "../media/fixtures.js";

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("input-conversion");
});
afterAll(() => pipeline.close());
beforeEach(() => pipeline.fake.reset());

/** An edit the way an adapter sends one: header checks only, files stored as received, then the queue. */
async function editWith(uploads: { name: string; bytes: Buffer }[]) {
  const request = checkOptions(
    { prompt: "make it autumn" },
    { imageCount: uploads.length, hasMask: false },
    { model: pipeline.config.openai.defaultImageModel },
  );
  const runId = newRunId();
  const outcome = settled(pipeline.worker, runId);
  await enqueueRun(pipeline.queues, pipeline.deps.runs, {
    runId,
    request,
    inputs: await checkInputHeaders(uploads),
    user: { platform: "discord", id: "123456789012345678", workspace: "223456789012345678" },
    reply: { kind: "terminal" },
  });
  return { runId, ...(await outcome) };
}

describe("inputs OpenAI does not take arrive at OpenAI as PNG", () => {
  it("converts HEIC, AVIF, TIFF, BMP and a GIF in the worker and notes each conversion in metadata.json", async () => {
    const png = await quadrants();
    const uploads = [
      { name: "IMG_0001.HEIC", bytes: await quadrantsHeic() },
      { name: "photo.avif", bytes: await sharp(png).avif().toBuffer() },
      { name: "scan.tiff", bytes: await sharp(png).tiff().toBuffer() },
      { name: "paint.bmp", bytes: await bmp(png) },
      { name: "reaction.gif", bytes: await sharp(png).gif().toBuffer() },
      { name: "plain.png", bytes: png },
    ];
    const { runId, result, error } = await editWith(uploads);
    expect(error).toBeUndefined();
    expect(result?.finals).toHaveLength(1);

    expect(pipeline.fake.requests).toHaveLength(1);
    const sent =
      pipeline.fake.requests[0]?.form?.files.filter((file) => file.field.startsWith("image")) ?? [];
    expect(sent.map((file) => [file.filename, file.contentType])).toEqual(
      uploads.map((_, index) => [`image_${index}.png`, "image/png"]),
    );
    for (const file of sent) {
      const info = await sharp(file.bytes).metadata();
      expect([info.format, info.width, info.height]).toEqual(["png", 64, 48]);
    }
    expect(sent[5]?.bytes.equals(png)).toBe(true);

    const metadata = await pipeline.deps.runs.getMetadata(runId);
    expect(metadata.inputs.conversions).toEqual([
      { image: 0, from: "heic", to: "png", original: `${runId}/inputs/image_0.heic` },
      { image: 1, from: "avif", to: "png", original: `${runId}/inputs/image_1.avif` },
      { image: 2, from: "tiff", to: "png", original: `${runId}/inputs/image_2.tiff` },
      { image: 3, from: "bmp", to: "png", original: `${runId}/inputs/image_3.bmp` },
      { image: 4, from: "gif", to: "png", original: `${runId}/inputs/image_4.gif` },
    ]);
    // The run folder keeps what the person sent and what OpenAI received; `inputs.images` names the latter.
    expect(metadata.inputs.images).toEqual(uploads.map((_, index) => `${runId}/inputs/image_${index}.png`));
    const stored = (await readdir(join(pipeline.storageDir, runId, "inputs"))).sort();
    expect(stored).toEqual(
      [
        "image_0.heic",
        "image_0.png",
        "image_1.avif",
        "image_1.png",
        "image_2.png",
        "image_2.tiff",
        "image_3.bmp",
        "image_3.png",
        "image_4.gif",
        "image_4.png",
        "image_5.png",
      ].sort(),
    );
  });

  it("fails a damaged HEIC in the worker with one sentence naming it, and sends nothing", async () => {
    const heic = await quadrantsHeic();
    const { error } = await editWith([{ name: "IMG_0004.HEIC", bytes: heic.subarray(0, heic.length - 200) }]);
    expect(error?.message).toBe(
      "image_corrupt: Image 1 (image_0.heic) is damaged or truncated and cannot be decoded.",
    );
    expect(pipeline.fake.requests).toHaveLength(0);
  });
});
