import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserError } from "../../src/core/errors.js";
import { newRunId } from "../../src/core/run-id.js";
import type { Renderer, RenderResult } from "../../src/render/renderer.js";
import { lighthouseJob, type Pipeline, runJob, startPipeline } from "../helpers/pipeline.js";

/**
 * Storage that fails, made real on the disk: a file where a run's folder should be (nothing can be written
 * in it), or a folder where one image should be (that one write fails, the others go through).
 */

/** What the person was shown, per run. `failFirstDelivery`: the platform is down for the first final. */
interface Shown {
  partials: number;
  results: RenderResult[];
  failures: UserError[];
  deliveries: number;
}
const shown = new Map<string, Shown>();
const failFirstDelivery = new Set<string>();

/** One per attempt, each adding to the run's record. */
class RecordingPlatform implements Renderer {
  private readonly record: Shown;
  constructor(private readonly runId: string) {
    this.record = shown.get(runId) ?? { partials: 0, results: [], failures: [], deliveries: 0 };
    shown.set(runId, this.record);
  }
  async queued() {}
  async started() {}
  async partial() {
    this.record.partials += 1;
  }
  async text() {}
  async completed(result: RenderResult) {
    this.record.deliveries += 1;
    if (this.record.deliveries === 1 && failFirstDelivery.has(this.runId))
      throw new Error("503 from the chat");
    this.record.results.push(result);
  }
  async failed(error: UserError) {
    this.record.failures.push(error);
  }
}

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("storage-faults", {}, undefined, (registry) =>
    registry.register("recording", (spec) => new RecordingPlatform(spec.runId)),
  );
});
afterAll(() => pipeline.close());

async function run(runId: string) {
  const outcome = await runJob(pipeline, lighthouseJob({ runId, replyKind: "recording" }), 2);
  const requests = pipeline.fake.requests.filter((request) =>
    JSON.stringify(request.json ?? {}).includes("a lighthouse"),
  );
  pipeline.fake.reset();
  return { ...outcome, requests: requests.length, shown: shown.get(runId) };
}

/** Every file left under the storage root, as relative paths. */
async function storedFiles(): Promise<string[]> {
  const entries = await readdir(pipeline.storageDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe("run storage that fails", () => {
  it("before anything is paid: the person is told why, OpenAI is never asked, nothing is retried", async () => {
    const runId = newRunId();
    await writeFile(join(pipeline.storageDir, runId), "a file where the run's folder should be");
    const outcome = await run(runId);

    expect(outcome.error?.name).toBe("UnrecoverableError");
    expect(outcome.attemptsMade).toBe(1);
    expect(outcome.requests).toBe(0);
    const [failure, ...more] = outcome.shown?.failures ?? [];
    expect(more).toEqual([]);
    expect(failure?.code).toBe("storage_unavailable");
    expect(failure?.message).toMatch(/storage is full or not writable.*nothing was charged/);
  });

  it("after the images were paid: they are shown anyway, frames that cannot be stored are skipped, no temporary file is left", async () => {
    const runId = newRunId();
    await mkdir(join(pipeline.storageDir, runId, "final_0.png"), { recursive: true });
    await mkdir(join(pipeline.storageDir, runId, "partial_0.png"), { recursive: true });
    const outcome = await run(runId);

    expect(outcome.error).toBeUndefined();
    expect(outcome.attemptsMade).toBe(1);
    expect(outcome.requests).toBe(1);
    expect(outcome.shown?.partials).toBe(1);
    const [result] = outcome.shown?.results ?? [];
    expect(result?.images[0]?.bytes.subarray(1, 4).toString()).toBe("PNG");
    const metadata = await pipeline.deps.runs.getMetadata(runId);
    expect(metadata).toMatchObject({ status: "completed", partials: [], finals: [] });
    expect(metadata.cost?.microdollars).toBeGreaterThan(0);
    expect((await storedFiles()).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("and the platform then fails too: the retry shows the images kept in memory, OpenAI is not paid twice", async () => {
    const runId = newRunId();
    await mkdir(join(pipeline.storageDir, runId, "final_0.png"), { recursive: true });
    failFirstDelivery.add(runId);
    const outcome = await run(runId);

    expect(outcome.error).toBeUndefined();
    expect(outcome.attemptsMade).toBe(2);
    expect(outcome.requests).toBe(1);
    expect(outcome.shown?.deliveries).toBe(2);
    expect(outcome.shown?.results).toHaveLength(1);
  });
});
