import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newRunId } from "../../src/core/run-id.js";
import { checkOptions, enqueueRun } from "../../src/intake/enqueue-run.js";
import { checkInputHeaders, type RawFile } from "../../src/media/check-inputs.js";
import { type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";
import { oneBitBmp, solid } from "../media/fixtures.js";

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("decode-attack");
});
afterAll(() => pipeline.close());
beforeEach(() => pipeline.fake.reset());

/** A run the way an adapter queues one (header checks only), and its outcome once the worker settles it. */
async function queueRun(prompt: string, uploads: RawFile[], userId: string) {
  const request = checkOptions(
    { prompt },
    { imageCount: uploads.length, hasMask: false },
    { model: pipeline.config.openai.defaultImageModel },
  );
  const runId = newRunId();
  const outcome = settled(pipeline.worker, runId);
  await enqueueRun(pipeline.queues, pipeline.deps.runs, {
    runId,
    request,
    inputs: await checkInputHeaders(uploads),
    user: { platform: "discord", id: userId, workspace: "223456789012345678" },
    reply: { kind: "terminal" },
  });
  return outcome;
}

const processMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

describe("an edit of large BMPs beside a truncated PNG", () => {
  it("is refused at the PNG without decoding the BMPs, while another person's generation completes", async () => {
    const scan = oneBitBmp(4000, 4000);
    const png = await solid(800, 600, "#aa3300");
    const attack = [1, 2, 3, 4].map((n) => ({ name: `scan${n}.bmp`, bytes: scan }));
    attack.push({ name: "cut.png", bytes: png.subarray(0, png.length / 2) });

    // What one such BMP costs to decode and convert, on this machine now: the scale the attack is held to.
    const before = processMs();
    const converted = await queueRun(
      "make it autumn",
      [{ name: "scan.bmp", bytes: scan }],
      "323456789012345678",
    );
    const oneScanMs = processMs() - before;
    expect(converted.error).toBeUndefined();

    const attackBefore = processMs();
    const [refused, other] = await Promise.all([
      queueRun("make it autumn", attack, "123456789012345678"),
      queueRun("a lighthouse at dusk", [], "423456789012345678"),
    ]);
    expect(refused.error?.message).toBe(
      "image_corrupt: Image 5 (image_4.png) is damaged or truncated and cannot be decoded.",
    );
    expect(other.error).toBeUndefined();
    expect(other.result?.finals).toHaveLength(1);
    // Only the other person's request reached OpenAI; the four scans cost less than one scan's decode.
    const prompts = pipeline.fake.requests.map(
      (request) => (request.json as { prompt?: string } | undefined)?.prompt ?? request.form?.fields.prompt,
    );
    expect(prompts).toEqual(["make it autumn", "a lighthouse at dusk"]);
    expect(processMs() - attackBefore).toBeLessThan(oneScanMs);
  });
});
