import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newRunId } from "../../src/core/run-id.js";
import { resolveRequest } from "../../src/core/validate-request.js";
import { LocalBlobStore } from "../../src/storage/blob-store.js";
import { type RunMetadata, RunStore } from "../../src/storage/run-store.js";

const root = await mkdtemp(join(tmpdir(), "imagine-runs-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const runs = new RunStore(new LocalBlobStore(root));

function metadataOf(runId: string): RunMetadata {
  const request = resolveRequest(
    { prompt: "a lighthouse" },
    { imageCount: 0, hasMask: false },
    {
      model: "gpt-image-2",
    },
  );
  return {
    runId,
    jobId: runId,
    status: "completed",
    prompt: request.prompt,
    model: request.model,
    request,
    origin: { user: { platform: "cli", id: "local" }, reply: { kind: "terminal" } },
    inputs: { images: [] },
    partials: [],
    finals: [`${runId}/final_0.png`],
    timings: { queuedAt: "2026-11-22T03:00:00.000Z" },
  };
}

describe("LocalBlobStore.find", () => {
  it("answers undefined for a missing key and the bytes for a present one", async () => {
    const blobs = new LocalBlobStore(root);
    expect(await blobs.find("nothing/here.png")).toBeUndefined();
    await blobs.put("found/here.png", Buffer.from([4, 5]));
    expect([...((await blobs.find("found/here.png")) ?? [])]).toEqual([4, 5]);
  });

  it("throws when the key cannot be read for another reason than absence", async () => {
    const blobs = new LocalBlobStore(root);
    await mkdir(join(root, "dir-in-place/metadata.json"), { recursive: true });
    await expect(blobs.find("dir-in-place/metadata.json")).rejects.toMatchObject({ code: "EISDIR" });
    // A file where a folder of the key should be is damage too, not absence.
    await writeFile(join(root, "a-file"), "x");
    await expect(blobs.find("a-file/metadata.json")).rejects.toMatchObject({ code: "ENOTDIR" });
  });
});

describe("RunStore.findMetadata", () => {
  it("answers undefined when the run has no metadata", async () => {
    expect(await runs.findMetadata(newRunId())).toBeUndefined();
  });

  it("answers the stored metadata", async () => {
    const runId = newRunId();
    await runs.putMetadata(metadataOf(runId));
    expect(await runs.findMetadata(runId)).toEqual(metadataOf(runId));
  });

  it("throws on metadata that is damaged, not 'not found'", async () => {
    const runId = newRunId();
    await runs.blobs.put(`${runId}/metadata.json`, '{"runId": "trunc');
    await expect(runs.findMetadata(runId)).rejects.toBeInstanceOf(SyntaxError);
  });

  it("throws when the metadata is there but cannot be read", async () => {
    const blocked = newRunId();
    await mkdir(join(root, blocked, "metadata.json"), { recursive: true });
    await expect(runs.findMetadata(blocked)).rejects.toMatchObject({ code: "EISDIR" });

    // Root ignores file permissions, so the permission case is only checked as an ordinary user.
    if (process.getuid?.() === 0) return;
    const locked = newRunId();
    await runs.putMetadata(metadataOf(locked));
    await chmod(join(root, locked, "metadata.json"), 0o000);
    try {
      await expect(runs.findMetadata(locked)).rejects.toMatchObject({ code: "EACCES" });
    } finally {
      await chmod(join(root, locked, "metadata.json"), 0o644);
    }
  });
});
