import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { JobSpec } from "../../src/core/job-spec.js";
import { newRunId } from "../../src/core/run-id.js";
import { resolveRequest } from "../../src/core/validate-request.js";
import { runningMetadata, storedResult } from "../../src/runner/stored-result.js";
import { LocalBlobStore } from "../../src/storage/blob-store.js";
import { RunStore } from "../../src/storage/run-store.js";

const root = await mkdtemp(join(tmpdir(), "imagine-stored-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const runs = new RunStore(new LocalBlobStore(root));

function specOf(runId: string): JobSpec {
  const request = resolveRequest(
    { prompt: "a kite" },
    { imageCount: 0, hasMask: false },
    { model: "gpt-image-2" },
  );
  return {
    version: 1,
    runId,
    request,
    inputs: { images: [] },
    user: { platform: "cli", id: "local" },
    reply: { kind: "terminal" },
    queuedAt: "2026-11-22T03:00:00.000Z",
  };
}

describe("storedResult", () => {
  it("finds nothing to show again for a run that has no metadata yet (a first attempt)", async () => {
    const runId = newRunId();
    expect(await storedResult(runs, specOf(runId), runId)).toBeUndefined();
  });

  it("shows a run the model answered in words again (no image, nothing to pay twice for)", async () => {
    const runId = newRunId();
    const spec = specOf(runId);
    const metadata = runningMetadata(spec, runId, new Date());
    await runs.putMetadata({ ...metadata, status: "delivery_failed", answered: true, text: "A kite." });
    const made = await storedResult(runs, spec, runId);
    expect(made?.result).toMatchObject({ images: [], imageKeys: [], text: "A kite." });
  });

  it("throws on damaged metadata instead of paying OpenAI again as if nothing were stored", async () => {
    const runId = newRunId();
    await runs.blobs.put(`${runId}/metadata.json`, "{not json");
    await expect(storedResult(runs, specOf(runId), runId)).rejects.toBeInstanceOf(SyntaxError);
  });
});
