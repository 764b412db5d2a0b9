import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requesterOf, rerollRun, runDetails, varyRun } from "../../src/actions/follow-ups.js";
import { UserError } from "../../src/core/errors.js";
import { type ThreadRef, ThreadRefSchema } from "../../src/core/job-spec.js";
import { newRunId } from "../../src/core/run-id.js";
import { checkOptions, enqueueRun, type RunToEnqueue } from "../../src/intake/enqueue-run.js";
import { type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("follow-ups");
});
afterAll(() => pipeline.close());
beforeEach(() => pipeline.fake.reset());

const user = { platform: "slack", id: "U0123456789", workspace: "T0123456789" };

/** Enqueues like an adapter and waits for the worker; returns the run id. */
async function runToEnd(run: Omit<RunToEnqueue, "user" | "reply">): Promise<string> {
  const runId = newRunId();
  const done = settled(pipeline.worker, runId);
  await enqueueRun(pipeline.queues, pipeline.deps.runs, { ...run, runId, user, reply: { kind: "terminal" } });
  const { error } = await done;
  if (error) throw error;
  return runId;
}

function generate(raw: Record<string, unknown>, thread?: ThreadRef): Promise<string> {
  const request = checkOptions(raw, { imageCount: 0, hasMask: false }, { model: "gpt-image-2" });
  return runToEnd({ request, inputs: { images: [] }, ...(thread ? { thread } : {}) });
}

describe("follow-ups read everything back from the run folder", () => {
  it("re-rolls the same request on the same inputs, mask included", async () => {
    const image = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#357" } })
      .png()
      .toBuffer();
    const mask = await sharp({ create: { width: 1024, height: 1024, channels: 4, background: "#0000" } })
      .png()
      .toBuffer();
    const request = checkOptions(
      { prompt: "add a boat", partials: "0" },
      { imageCount: 1, hasMask: true },
      { model: "gpt-image-2" },
    );
    const first = await runToEnd({
      request,
      inputs: {
        images: [{ name: "image_0.png", bytes: image, contentType: "image/png" }],
        mask: { name: "mask.png", bytes: mask, contentType: "image/png" },
      },
    });
    const reroll = await rerollRun(pipeline.deps.runs, first);
    expect(reroll.request).toEqual(request);
    await runToEnd(reroll);

    const [original, again] = pipeline.fake.requests;
    expect(again?.path).toBe(original?.path);
    expect(again?.form?.fields).toEqual(original?.form?.fields);
    const sizes = (index: number) =>
      pipeline.fake.requests[index]?.form?.files.map((file) => [file.field, file.size]);
    expect(sizes(1)).toEqual(sizes(0));
  });

  it("re-rolls refer to the first run's inputs; once that run is deleted, a re-roll fails before OpenAI", async () => {
    const image = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#753" } })
      .png()
      .toBuffer();
    const request = checkOptions(
      { prompt: "add a kite", partials: "0" },
      { imageCount: 1, hasMask: false },
      {
        model: "gpt-image-2",
      },
    );
    const first = await runToEnd({
      request,
      inputs: { images: [{ name: "image_0.png", bytes: image, contentType: "image/png" }] },
    });
    const second = await runToEnd(await rerollRun(pipeline.deps.runs, first));
    expect((await pipeline.deps.runs.getMetadata(second)).inputs.images).toEqual([
      `${first}/inputs/image_0.png`,
    ]);

    await pipeline.deps.runs.remove(first);
    const asked = pipeline.fake.requests.length;
    // The worker's failure (an UnrecoverableError: no BullMQ retry) carries the code and the sentence.
    await expect(runToEnd(await rerollRun(pipeline.deps.runs, second))).rejects.toThrow(
      "run_not_found: The images this was made from are no longer stored, so it cannot be made again.",
    );
    expect(pipeline.fake.requests.length).toBe(asked);
  });

  it("refuses to re-roll or vary a run made on a model retired since, naming the replacement, before OpenAI", async () => {
    const runId = await generate({ prompt: "an old harbour", partials: "0" });
    const metadata = await pipeline.deps.runs.getMetadata(runId);
    // As a run made before gpt-image-1.5 shut down left it.
    await pipeline.deps.runs.putMetadata({
      ...metadata,
      model: "gpt-image-1.5",
      request: { ...metadata.request, model: "gpt-image-1.5" },
    });
    pipeline.fake.reset();
    const sentence = "Model gpt-image-1.5 was retired on 2026-12-01; use gpt-image-2.5-sunburst instead.";
    for (const followUp of [rerollRun(pipeline.deps.runs, runId), varyRun(pipeline.deps.runs, runId)]) {
      const error = await followUp.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({ code: "model_retired", message: sentence });
    }
    expect(pipeline.fake.requests).toHaveLength(0);
  });

  it("varies a result as an edit of that image, with a new prompt when given", async () => {
    const first = await generate({
      prompt: "a lighthouse",
      partials: "0",
      size: "1536x1024",
      moderation: "low",
    });
    const firstFinal = (await pipeline.deps.runs.getMetadata(first)).finals[0] ?? "";
    const vary = await varyRun(pipeline.deps.runs, first, { prompt: "the same lighthouse at night" });
    // The Images API's edit endpoint has no moderation parameter; the variation drops it.
    expect(vary.request).toMatchObject({
      prompt: "the same lighthouse at night",
      size: "1536x1024",
      moderation: "auto",
    });
    const second = await runToEnd(vary);

    const edit = pipeline.fake.requests[1];
    expect(edit?.path).toMatch(/\/images\/edits$/);
    const sent = edit?.form?.files.find((file) => file.field.startsWith("image"));
    expect(sent?.bytes.equals(await pipeline.deps.runs.blobs.get(firstFinal))).toBe(true);
    // The variation refers to the image it varies, in the earlier run's folder: nothing is copied.
    const metadata = await pipeline.deps.runs.getMetadata(second);
    expect(metadata.inputs.images).toEqual([firstFinal]);
    expect(await pipeline.deps.runs.blobs.find(`${second}/inputs/image_0.png`)).toBeUndefined();
  });

  it("re-rolls a thread turn from the same parent, not from the latest turn", async () => {
    const thread: ThreadRef = { platform: "slack", workspace: "T0123456789", thread: "1763719200.000100" };
    const first = await generate({ prompt: "a red fox", api: "responses" }, thread);
    const second = await generate({ prompt: "in the snow", api: "responses" }, thread);
    await generate({ prompt: "at night", api: "responses" }, thread);
    const reroll = await rerollRun(pipeline.deps.runs, second);
    expect(reroll.thread).toEqual({ ...thread, parentJobId: first });
    await runToEnd(reroll);
    const bodies = pipeline.fake.requests.map((request) => request.json as { previous_response_id?: string });
    expect(bodies[3]?.previous_response_id).toBe(bodies[1]?.previous_response_id);
    // The first turn continued nothing: its re-roll starts from the root, not from "at night".
    expect((await rerollRun(pipeline.deps.runs, first)).thread).toEqual({ ...thread, fromRoot: true });
  });

  it("reads thread references of older job data, and refuses one naming both a parent and the root", () => {
    const address = { platform: "discord", workspace: "123456789012345678", thread: "223456789012345678" };
    expect(ThreadRefSchema.parse(address)).toEqual(address);
    expect(ThreadRefSchema.parse({ ...address, parentJobId: "job-1" })).toEqual({
      ...address,
      parentJobId: "job-1",
    });
    expect(ThreadRefSchema.safeParse({ ...address, parentJobId: "job-1", fromRoot: true }).success).toBe(
      false,
    );
  });

  it("shows the parameters sent, the usage and the requester", async () => {
    const runId = await generate({ prompt: "a kite", partials: "1", quality: "low" });
    const details = await runDetails(pipeline.deps.runs, runId);
    expect(details.fields).toContainEqual(["Model", "gpt-image-2"]);
    expect(JSON.parse(details.parameters)).toMatchObject({
      prompt: "a kite",
      quality: "low",
      partial_images: 1,
    });
    expect(details.usage).toMatch(/total_tokens/);
    expect(details.parameters).not.toContain("sk-test-key");
    expect(await requesterOf(pipeline.deps.runs, runId)).toBe("U0123456789");
  });

  it("says so when the run is gone", async () => {
    await expect(rerollRun(pipeline.deps.runs, newRunId())).rejects.toMatchObject({ code: "run_not_found" });
    await expect(varyRun(pipeline.deps.runs, newRunId())).rejects.toBeInstanceOf(UserError);
  });

  it("does not call a run that cannot be read gone: the failure is ours (internal_error), not run_not_found", async () => {
    const runId = newRunId();
    await pipeline.deps.runs.blobs.put(`${runId}/metadata.json`, '{"runId": "trunc');
    await expect(rerollRun(pipeline.deps.runs, runId)).rejects.toBeInstanceOf(SyntaxError);
    await expect(varyRun(pipeline.deps.runs, runId)).rejects.not.toBeInstanceOf(UserError);
  });
});
