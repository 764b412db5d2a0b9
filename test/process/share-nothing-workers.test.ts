import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newRunId } from "../../src/core/run-id.js";
import { signOriginalUrl } from "../../src/links/signed-url.js";
import { S3BlobStore } from "../../src/storage/s3-blob-store.js";
import type { FakeMessage } from "../fakes/discord/fake.js";
import { customIds, jobIdOf } from "../helpers/discord-result.js";
import { type LocalS3, startLocalS3 } from "../helpers/s3-server.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordProcesses, startDiscordProcesses } from "./discord-processes.js";
import { PROCESS_TEST_TIMEOUT_MS, REPO_ROOT, type ScriptProcess, stopCleanly } from "./scripts.js";

/**
 * Workers on other machines: `npm run bot` and two workers that share nothing with it but Redis and the bucket.
 * Each worker runs the `npm run worker` program from a working folder of its own, empty, with no STORAGE_DIR and
 * no `.env` (npm would run it in the repository, which a worker on another machine does not have), so anything
 * the bot or the other worker needs from a local folder is missing there.
 */
const PREFIX = "runs/";
/** The key the bot's signed links are made with; the test signs one for the bot's own route. */
const LINK_SECRET = "share-nothing-link-secret-of-32-chars";
/** `npm run worker`'s command as package.json has it, its `dist/` path made absolute (npm would run it here). */
const WORKER_PROGRAM = (() => {
  const scripts = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).scripts as Record<
    string,
    string
  >;
  const command = /\bexec (.+)$/.exec(scripts.worker ?? "")?.[1];
  if (command === undefined) throw new Error(`npm run worker is not "… exec node …": ${scripts.worker}`);
  return command.split(/\s+/).map((arg) => (arg.startsWith("dist/") ? join(REPO_ROOT, arg) : arg));
})();

let s3: LocalS3;
let bucket: string;
let world: DiscordProcesses;
let runs: S3BlobStore;
const machines: string[] = [];

beforeAll(async () => {
  s3 = await startLocalS3();
  bucket = await s3.createBucket("share-nothing");
  runs = new S3BlobStore(s3.storage(bucket, PREFIX));
  world = await startDiscordProcesses("share-nothing", {
    ...s3.env(bucket, PREFIX),
    LINK_SIGNING_SECRET: LINK_SECRET,
    RUN_RETENTION_DAYS: "1",
    // One job at a time each: two jobs running at once are on two workers.
    WORKER_CONCURRENCY: "1",
  });
});
afterAll(async () => {
  await world?.close();
  await s3?.close();
  for (const folder of machines) await rm(folder, { recursive: true, force: true });
});

/** A worker "on another machine": its own empty working folder, no STORAGE_DIR. */
async function startRemoteWorker(name: string): Promise<{ proc: ScriptProcess; folder: string }> {
  const folder = await mkdtemp(join(tmpdir(), `imagine-${name}-`));
  machines.push(folder);
  const proc = world.runCommand(WORKER_PROGRAM, folder, { STORAGE_DIR: undefined, MALLOC_ARENA_MAX: "2" });
  await proc.waitForLog((line) => line.msg === "imagine-bot running", name);
  return { proc, folder };
}

/** Run ids whose `job completed` a process logged. */
const completedBy = (proc: ScriptProcess) =>
  proc.logs().flatMap((line) => (line.msg === "job completed" ? [String(line.jobId)] : []));

/** A run folder as a worker leaves it, started two days ago: what retention must remove from the bucket. */
async function seedOldRun(): Promise<string> {
  const runId = newRunId(new Date(Date.now() - 2 * 24 * 3600 * 1000));
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#345" } })
    .png()
    .toBuffer();
  for (const [key, body] of [
    [`${runId}/final_0.png`, png],
    [`${runId}/partial_0.png`, png],
    [`${runId}/metadata.json`, JSON.stringify({ runId, status: "completed" })],
  ] as const) {
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `${PREFIX}${key}`, Body: body }));
  }
  return runId;
}

async function objectKeys(): Promise<string[]> {
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX }));
  return (listed.Contents ?? []).map((object) => object.Key?.slice(PREFIX.length) ?? "");
}

const bytesAt = async (url: string) => {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return Buffer.from(await response.arrayBuffer());
};

describe("workers that share nothing with the bot but Redis and the bucket", {
  timeout: 2 * PROCESS_TEST_TIMEOUT_MS,
}, () => {
  it("share the jobs; results, buttons, links and retention work across them; their folders stay empty", async () => {
    const oldRun = await seedOldRun();
    const bot = world.run("bot");
    const a = await startRemoteWorker("worker-a");
    const b = await startRemoteWorker("worker-b");
    await bot.waitForLog((line) => line.msg === "imagine-bot running", "the bot");
    await world.discord.waitForBot();

    // Retention: the hourly sweep one of the workers runs at once removes the old run from the bucket.
    await waitFor(
      "the sweep of old runs",
      () =>
        [a.proc, b.proc].some((proc) => proc.logs().some((line) => line.msg === "old run folders removed")),
      60_000,
    );
    expect((await objectKeys()).filter((key) => key.startsWith(oldRun))).toEqual([]);

    // Two jobs held at their first streamed event until both are at OpenAI: one on each worker.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    world.openai.pace(() => released);
    const prompts = ["a red kite", "a blue kite"];
    const asked = [];
    for (const prompt of prompts) asked.push(await world.discord.slash("imagine", { prompt, partials: 1 }));
    await waitFor(
      "both jobs at OpenAI",
      () => world.openai.requests.filter((request) => request.path === "/v1/images/generations").length >= 2,
      60_000,
    );
    release();
    const results = await Promise.all(asked.map((interaction) => world.finalReply(interaction)));
    world.openai.pace(undefined);
    const ids = results.map((result) => jobIdOf(result));
    await waitFor("both jobs logged", () => completedBy(a.proc).length + completedBy(b.proc).length >= 2);
    expect(completedBy(a.proc)).toHaveLength(1);
    expect(completedBy(b.proc)).toHaveLength(1);
    expect(bot.logs().some((line) => line.msg === "job completed")).toBe(false);

    // Worker A stops; its result's buttons are B's to run, from what A left in the bucket.
    const [aRun] = completedBy(a.proc);
    const aResult = results[ids.indexOf(aRun ?? "")] as FakeMessage;
    const aPrompt = prompts[ids.indexOf(aRun ?? "")] ?? "";
    await stopCleanly(a.proc);
    const finalOfA = await runs.get(`${aRun}/final_0.png`);
    world.openai.reset();
    const vary = customIds(aResult.components).find((id) => id.startsWith("vary:"));
    const varied = await world.finalReply(await world.discord.click(aResult, vary ?? ""));
    const sent = world.openai.requests[0]?.form?.files.find((file) => file.field.startsWith("image"));
    expect(sent?.bytes.equals(finalOfA)).toBe(true);
    const rerolled = await world.finalReply(await world.discord.click(aResult, `reroll:${aRun}`));
    expect(rerolled.content).toContain(aPrompt);
    await waitFor("B's two presses", () => completedBy(b.proc).length >= 3);
    expect(completedBy(b.proc)).toEqual(expect.arrayContaining([jobIdOf(varied), jobIdOf(rerolled)]));

    // A final too large to upload: its message links the original in the bucket, made by the worker.
    world.discord.setAttachmentSizeLimit(60_000);
    const large = await world.finalReply(
      await world.discord.slash("imagine", { prompt: "a detailed harbour", size: "1536x1024" }),
    );
    const original = /\[Open the original\]\(<([^>]+)>\)/.exec(large.content)?.[1] ?? "";
    expect(await bytesAt(original)).toEqual(await runs.get(`${jobIdOf(large)}/final_0.png`));
    // The bot's own route serves a worker's final from the bucket, for a link signed with the shared key.
    const endpoint = await bot.waitForLog(
      (line) => line.msg === "health and metrics endpoint listening",
      "the bot's endpoint",
    );
    const signed = signOriginalUrl(
      `http://127.0.0.1:${endpoint.port}`,
      LINK_SECRET,
      `${aRun}/final_0.png`,
      new Date(Date.now() + 3600_000),
    );
    expect(await bytesAt(signed)).toEqual(finalOfA);

    // Every run lives in the bucket; nothing went to a worker's folder or to the bot's STORAGE_DIR.
    const folders = await runs.listFolders();
    for (const id of [...ids, jobIdOf(varied), jobIdOf(rerolled), jobIdOf(large)])
      expect(folders).toContain(id);
    expect(folders).not.toContain(oldRun);
    expect(await readdir(a.folder)).toEqual([]);
    expect(await readdir(b.folder)).toEqual([]);
    expect(await readdir(world.storageDir)).toEqual([]);

    await stopCleanly(b.proc);
    await stopCleanly(bot);
  });
});
