import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidStorageKeyError, LocalBlobStore } from "../../src/storage/blob-store.js";
import { isRunId, newRunId } from "../../src/storage/run-id.js";

const root = await mkdtemp(join(tmpdir(), "imagine-blobs-"));
afterAll(() => rm(root, { recursive: true, force: true }));

describe("LocalBlobStore", () => {
  it("writes and reads nested keys without leaving temporary files", async () => {
    const store = new LocalBlobStore(root);
    await store.put("run-1/inputs/image_0.png", Buffer.from([1, 2, 3]));
    expect([...(await store.get("run-1/inputs/image_0.png"))]).toEqual([1, 2, 3]);
    expect(await readdir(join(root, "run-1/inputs"))).toEqual(["image_0.png"]);
  });

  it.each(["../escape.png", "run/../../escape.png", "/etc/passwd", "", "a\\b.png", "a\0b"])(
    "refuses the key %j",
    async (key) => {
      const store = new LocalBlobStore(root);
      await expect(store.put(key, "x")).rejects.toBeInstanceOf(InvalidStorageKeyError);
      expect(() => store.locate(key)).toThrow(InvalidStorageKeyError);
    },
  );
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
