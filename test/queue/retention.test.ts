import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { newRunId, runStartedAt } from "../../src/core/run-id.js";
import { MAINTENANCE_QUEUE, removeRunsBefore } from "../../src/queue/retention.js";
import { type BlobStore, LocalBlobStore } from "../../src/storage/blob-store.js";
import { RunStore } from "../../src/storage/run-store.js";
import { S3BlobStore } from "../../src/storage/s3-blob-store.js";
import { startDiscordBot } from "../discord/harness.js";
import { startLocalS3 } from "../helpers/s3-server.js";
import { waitFor } from "../helpers/wait-for.js";

const DAY = 24 * 3600 * 1000;
const now = new Date("2026-12-04T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

const root = await mkdtemp(join(tmpdir(), "imagine-retention-"));
const s3 = await startLocalS3();
const bucket = await s3.createBucket("retention");
afterAll(async () => {
  await s3.close();
  await rm(root, { recursive: true, force: true });
});

const stores: [string, () => BlobStore][] = [
  ["local storage", () => new LocalBlobStore(join(root, randomUUID()))],
  ["S3 storage", () => new S3BlobStore(s3.storage(bucket, `${randomUUID()}/`))],
];

describe("run ids tell when their run started", () => {
  it("reads the UTC time newRunId wrote", () => {
    expect(runStartedAt(newRunId(new Date("2026-11-21T09:30:15.500Z")))).toEqual(
      new Date("2026-11-21T09:30:15Z"),
    );
  });
});

describe.each(stores)("removing old runs from %s", (_, emptyStore) => {
  it("removes every run folder started before the cutoff, whole, and nothing else", async () => {
    const runs = new RunStore(emptyStore());
    const old = [newRunId(daysAgo(31)), newRunId(daysAgo(400))];
    const kept = [newRunId(daysAgo(29)), newRunId(now)];
    for (const runId of [...old, ...kept]) {
      await runs.blobs.put(`${runId}/metadata.json`, "{}");
      await runs.blobs.put(`${runId}/inputs/image_0.png`, "input");
      await runs.blobs.put(`${runId}/final_0.png`, "final");
    }
    // Not runs: the CLI's try-outs and anything else an operator keeps there.
    await runs.blobs.put("try-out/final_0.png", "mine");
    await runs.blobs.put("19990101-000000-notarun/keep.txt", "mine");

    const removed = await removeRunsBefore(runs, daysAgo(30));
    expect(removed.sort()).toEqual([...old].sort());
    expect(await runs.blobs.listFolders()).toEqual(["19990101-000000-notarun", ...kept, "try-out"].sort());
    for (const runId of old) expect(await runs.blobs.find(`${runId}/inputs/image_0.png`)).toBeUndefined();
    expect(await removeRunsBefore(runs, daysAgo(30))).toEqual([]);
  });
});

describe("RUN_RETENTION_DAYS in a running worker", () => {
  it("keeps an hourly sweep scheduled, which removes the runs older than that at once", async () => {
    const storageDir = await mkdtemp(join(tmpdir(), "imagine-retention-bot-"));
    const old = newRunId(new Date(Date.now() - 8 * DAY));
    const recent = newRunId(new Date(Date.now() - 6 * DAY));
    for (const runId of [old, recent]) {
      await mkdir(join(storageDir, runId), { recursive: true });
      await writeFile(join(storageDir, runId, "metadata.json"), "{}");
    }
    const bot = await startDiscordBot("retention", {
      env: { STORAGE_DIR: storageDir, RUN_RETENTION_DAYS: "7" },
      logLevel: "info",
    });
    try {
      await waitFor("the first sweep", () => bot.logs.find((line) => line.msg === "old run folders removed"));
      expect(await readdir(storageDir)).toEqual([recent]);
      const maintenance = new Queue(MAINTENANCE_QUEUE, {
        connection: bot.running.context.redis,
        prefix: bot.config.queuePrefix,
      });
      const schedulers = await maintenance.getJobSchedulers();
      expect(schedulers.map((scheduler) => [scheduler.key, scheduler.every])).toEqual([
        ["run-retention", 3_600_000],
      ]);
      await maintenance.close();
    } finally {
      await bot.close();
      await rm(storageDir, { recursive: true, force: true });
    }
  });
});
