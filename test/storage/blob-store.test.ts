import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isRunId, newRunId } from "../../src/core/run-id.js";
import { type BlobStore, InvalidStorageKeyError, LocalBlobStore } from "../../src/storage/blob-store.js";
import { S3BlobStore } from "../../src/storage/s3-blob-store.js";
import { startLocalS3 } from "../helpers/s3-server.js";

const root = await mkdtemp(join(tmpdir(), "imagine-blobs-"));
const s3 = await startLocalS3();
const bucket = await s3.createBucket("blob-store");
afterAll(async () => {
  await s3.close();
  await rm(root, { recursive: true, force: true });
});

/**
 * Each store as a test gets it: empty, and its own (a folder, or a key prefix in the shared bucket). The S3 store
 * pages by 2 keys, so a few files take several list and delete calls.
 */
const stores: [string, () => BlobStore][] = [
  ["LocalBlobStore", () => new LocalBlobStore(join(root, randomUUID()))],
  ["S3BlobStore", () => new S3BlobStore(s3.storage(bucket, `${randomUUID()}/`), { batchSize: 2 })],
];

describe.each(stores)("%s", (_name, emptyStore) => {
  it("writes and reads nested keys; find answers undefined for a missing key and the bytes for a present one", async () => {
    const store = emptyStore();
    await store.put("run-1/inputs/image_0.png", Buffer.from([1, 2, 3]));
    await store.put("run-1/metadata.json", '{"ok":true}\n');
    expect([...(await store.get("run-1/inputs/image_0.png"))]).toEqual([1, 2, 3]);
    expect((await store.get("run-1/metadata.json")).toString()).toBe('{"ok":true}\n');
    expect(await store.find("run-1/final_0.png")).toBeUndefined();
    expect(await store.find("no-run/metadata.json")).toBeUndefined();
    expect([...((await store.find("run-1/inputs/image_0.png")) ?? [])]).toEqual([1, 2, 3]);
    await expect(store.get("run-1/final_0.png")).rejects.toThrow();
  });

  it("removes a folder and all under it, not a folder whose name starts the same; false when there is none", async () => {
    const store = emptyStore();
    const files = ["a.png", "b.png", "inputs/c.png", "inputs/d.png", "metadata.json"];
    for (const file of files) await store.put(`run-1/${file}`, file);
    await store.put("run-10/metadata.json", "kept");
    expect(await store.removeFolder("run-1")).toBe(true);
    for (const file of files) expect(await store.find(`run-1/${file}`)).toBeUndefined();
    expect((await store.get("run-10/metadata.json")).toString()).toBe("kept");
    expect(await store.removeFolder("run-1")).toBe(false);
    expect(await store.listFolders()).toEqual(["run-10"]);
  });

  it.each(["a/..", "."])("never removes the root, named %j", async (prefix) => {
    const store = emptyStore();
    await store.put("run-1/metadata.json", "kept");
    await expect(store.removeFolder(prefix)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    expect(await store.find("run-1/metadata.json")).toBeDefined();
  });

  it("lists the top-level folders, sorted, and none before anything is stored", async () => {
    const store = emptyStore();
    expect(await store.listFolders()).toEqual([]);
    const runs = [newRunId(new Date("2026-12-02T10:00:00Z")), newRunId(new Date("2026-12-01T10:00:00Z"))];
    for (const runId of runs) await store.put(`${runId}/metadata.json`, "{}");
    await store.put(`${runs[0]}/inputs/image_0.png`, "x");
    // A folder directly holding a file: s3rver reports a folder only then (S3 itself also for one holding only
    // folders, such as a readiness probe's `_readiness/<pid>-<uuid>/`).
    await store.put("_readiness/probe", "ok");
    await store.put("loose-file.txt", "not a folder");
    const [later, earlier] = runs;
    expect(await store.listFolders()).toEqual([earlier, later, "_readiness"]);
  });

  it.each(["../escape.png", "run/../../escape.png", "/etc/passwd", "", "a\\b.png", "a\0b"])(
    "refuses the key %j",
    async (key) => {
      const store = emptyStore();
      await expect(store.put(key, "x")).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(store.find(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(store.removeFolder(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      expect(() => store.locate(key)).toThrow(InvalidStorageKeyError);
      if (store.presignedGet)
        await expect(store.presignedGet(key, 60)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    },
  );
});

describe("LocalBlobStore", () => {
  it("leaves no temporary files behind a write", async () => {
    const store = new LocalBlobStore(root);
    await store.put("run-1/inputs/image_0.png", Buffer.from([1, 2, 3]));
    expect(await readdir(join(root, "run-1/inputs"))).toEqual(["image_0.png"]);
  });

  it("has no presigned links: a local folder is not served over HTTP", () => {
    const store: BlobStore = new LocalBlobStore(root);
    expect(store.presignedGet).toBeUndefined();
  });
});

describe("run ids", () => {
  it("sort by time, are unique, and are safe as BullMQ job ids and folder names", () => {
    const early = newRunId(new Date("2026-11-21T09:30:00Z"));
    const late = newRunId(new Date("2026-11-21T09:30:01Z"));
    expect(early < late).toBe(true);
    expect(early).toMatch(/^20261121-093000-[0-9a-f]{8}$/);
    expect(isRunId(early)).toBe(true);
    expect(early).not.toContain(":");
    expect(new Set(Array.from({ length: 100 }, () => newRunId())).size).toBe(100);
  });
});
