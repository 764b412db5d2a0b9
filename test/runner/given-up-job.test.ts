import { type AddressInfo, createServer } from "node:net";
import { Job } from "bullmq";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Spend } from "../../src/budget/ledger.js";
import type { JobSpec } from "../../src/core/job-spec.js";
import { newRunId } from "../../src/core/run-id.js";
import { createEngine } from "../../src/engine/engine.js";
import { givenUpResponseEnder } from "../../src/engine/given-up-response.js";
import { checkOptions } from "../../src/intake/enqueue-run.js";
import { finishAbandonedJob } from "../../src/runner/abandoned-job.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { waitFor } from "../helpers/wait-for.js";

/**
 * A Responses job whose workers died twice is given up by BullMQ, but its background response goes on on
 * OpenAI, and is paid there. Here a worker's stream is cut after its first partial and never read again, as a
 * dead worker's would be; the job is then given up, and what the person is told must match what was paid.
 */
let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("given-up");
});
afterAll(() => pipeline.close());
beforeEach(() => pipeline.fake.reset());

/** The events before the response's first partial: created, queued, in_progress, item added, … */
const EVENTS_BEFORE_FIRST_PARTIAL = 6;
const reservation: Spend = { micro: 2_000_000, images: 1 };
let people = 0;

function responsesJob(): JobSpec {
  const runId = newRunId();
  return {
    version: 1,
    runId,
    request: checkOptions(
      { prompt: "a lighthouse at dusk", partials: "2", api: "responses" },
      { imageCount: 0, hasMask: false },
      { model: "gpt-image-2" },
    ),
    inputs: { images: [] },
    user: { platform: "test", id: `abandoner-${++people}` },
    reply: { kind: "terminal" },
    queuedAt: new Date().toISOString(),
  };
}

/**
 * Starts the job's background response and loses its reader after the first partial (or, `stuck`, after its
 * first event, the response never leaving OpenAI's queue), its checkpoint saved.
 */
async function startAndLoseReader(spec: JobSpec, stuck = false): Promise<string> {
  const { fake, config, deps } = pipeline;
  await deps.budget?.reserve(spec.runId, spec.user, reservation);
  fake.fail(
    stuck ? { type: "stuck_queued" } : { type: "stream_cut", afterEvents: EVENTS_BEFORE_FIRST_PARTIAL + 1 },
  );
  const dying = createEngine({ ...config.openai, maxRetries: 0 });
  const events = dying(
    spec.request,
    { images: [] },
    {
      onCheckpoint: (checkpoint) =>
        deps.progress?.saveCheckpoint(spec.runId, checkpoint) ?? Promise.resolve(),
    },
  );
  await expect(
    (async () => {
      for await (const _event of events);
    })(),
  ).rejects.toMatchObject({ code: "openai_unavailable" });
  const checkpoint = await deps.progress?.checkpoint(spec.runId);
  if (checkpoint === undefined) throw new Error("no checkpoint was saved");
  return checkpoint.responseId;
}

/** BullMQ's job as the worker that gives it up sees it (never processed by this test's worker). */
const givenUp = (spec: JobSpec) => new Job(pipeline.queue, "imagine", spec, {}, spec.runId);
const spentBy = (spec: JobSpec) =>
  pipeline.deps.budget?.spent({ kind: "user", id: `${spec.user.platform}:${spec.user.id}` }, "day");
const output = (spec: JobSpec) => pipeline.outputs.get(spec.runId)?.output.text ?? "";
const cancels = () => pipeline.fake.requests.filter((r) => r.path.endsWith("/cancel"));

describe("a Responses job given up after its workers died", () => {
  it("shows the image its background response finished with, and charges what OpenAI reported", async () => {
    const spec = responsesJob();
    const responseId = await startAndLoseReader(spec);
    const client = new OpenAI({ apiKey: pipeline.config.openai.apiKey ?? "", baseURL: pipeline.fake.url });
    await waitFor("the unread response to finish on OpenAI", async () => {
      const response = await client.responses.retrieve(responseId);
      return response.status === "completed";
    });

    await finishAbandonedJob(givenUp(spec), pipeline.deps);

    const metadata = await pipeline.deps.runs.getMetadata(spec.runId);
    expect(metadata).toMatchObject({ status: "completed", responseId, cost: { source: "usage" } });
    expect(metadata.finals).toHaveLength(1);
    const [key] = metadata.finals;
    expect((await pipeline.deps.runs.blobs.get(key ?? "")).length).toBeGreaterThan(0);
    expect(metadata.cost?.microdollars).toBeGreaterThan(0);
    expect(await spentBy(spec)).toEqual({ micro: metadata.cost?.microdollars, images: 1 });
    expect(output(spec)).toMatch(/done: 1 image/);
    const shown = pipeline.outputs.get(spec.runId)?.renderer.outcome;
    expect(shown).toMatchObject({ ok: true, result: { imageKeys: [key], responseId, cost: metadata.cost } });
    expect(cancels()).toHaveLength(0);
  });

  it("cancels a response still running and, as OpenAI reports no usage for it, keeps the reservation and says so", async () => {
    const spec = responsesJob();
    const hold = holdAfterPartials(pipeline.fake, 1);
    try {
      const responseId = await startAndLoseReader(spec);
      await finishAbandonedJob(givenUp(spec), pipeline.deps);
      expect(cancels().map((r) => r.path)).toEqual([`/v1/responses/${responseId}/cancel`]);
    } finally {
      hold.release();
    }
    // It had drawn a partial: OpenAI bills that, so "nothing was charged" would not be true.
    expect(output(spec)).toMatch(
      /failed \(worker_lost_stopped\): .*up to the estimate held for it may be charged/,
    );
    expect(output(spec)).not.toContain("Nothing was charged");
    expect(await pipeline.deps.runs.getMetadata(spec.runId)).toMatchObject({
      status: "failed",
      error: { code: "worker_lost_stopped" },
    });
    expect(await spentBy(spec)).toEqual(reservation);
  });

  it("cancels a response still queued on OpenAI: nothing was made, nothing charged, the reservation given back", async () => {
    const spec = responsesJob();
    const responseId = await startAndLoseReader(spec, true);

    await finishAbandonedJob(givenUp(spec), pipeline.deps);
    expect(cancels().map((r) => r.path)).toEqual([`/v1/responses/${responseId}/cancel`]);
    expect(output(spec)).toMatch(/failed \(worker_lost\): .*Nothing was charged/);
    expect(await spentBy(spec)).toEqual({ micro: 0, images: 0 });
  });

  it("keeps the reservation and says it may still be charged when OpenAI cannot be reached to stop it", async () => {
    const spec = responsesJob();
    await startAndLoseReader(spec);
    // A host that drops every connection: the SDK's own connection error, as when OpenAI is unreachable.
    const dropping = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, "127.0.0.1", resolve));
    const { port } = dropping.address() as AddressInfo;
    const unreachable = new OpenAI({ apiKey: "sk-test", baseURL: `http://127.0.0.1:${port}/v1` });
    const endGivenUpResponse = givenUpResponseEnder(unreachable, pipeline.config.openai);
    await finishAbandonedJob(givenUp(spec), { ...pipeline.deps, endGivenUpResponse }).finally(() =>
      dropping.close(),
    );
    expect(output(spec)).toMatch(/failed \(worker_lost_unconfirmed\): .*it may still be charged/);
    expect(output(spec)).not.toContain("Nothing was charged");
    expect(cancels()).toHaveLength(0);
    expect(await spentBy(spec)).toEqual(reservation);
  });
});
