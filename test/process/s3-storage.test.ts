import { readdir } from "node:fs/promises";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunMetadata } from "../../src/storage/run-store.js";
import { S3BlobStore } from "../../src/storage/s3-blob-store.js";
import { jobIdOf } from "../helpers/discord-result.js";
import { type LocalS3, startLocalS3 } from "../helpers/s3-server.js";
import { type DiscordProcesses, startDiscordProcesses } from "./discord-processes.js";
import { PROCESS_TEST_TIMEOUT_MS, stopCleanly } from "./scripts.js";

/**
 * Run storage in a bucket, as workers on several machines share it: `npm run bot` and `npm run worker` as OS
 * processes with `S3_*` pointing at the local S3 server, the fake Discord and the fake OpenAI. The bot stores the
 * uploaded image in the bucket, the worker reads it from there and writes the run folder back.
 */
const PREFIX = "runs/";
let s3: LocalS3;
let bucket: string;
let world: DiscordProcesses;

beforeAll(async () => {
  s3 = await startLocalS3();
  bucket = await s3.createBucket("process-s3");
  world = await startDiscordProcesses("process-s3", s3.env(bucket, PREFIX));
});
afterAll(async () => {
  await world?.close();
  await s3?.close();
});

describe("run storage in an S3 bucket", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("keeps a job's run folder in the bucket, and its final's presigned link gives the image shown", async () => {
    const bot = world.run("bot");
    const worker = world.run("worker");
    await bot.waitForLog((line) => line.msg === "imagine-bot running", "the bot");
    await worker.waitForLog((line) => line.msg === "imagine-bot running", "the worker");
    await world.discord.waitForBot();
    const photo = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#2a6" } })
      .png()
      .toBuffer();
    const interaction = await world.discord.slash("edit", {
      prompt: "make it autumn",
      image: { filename: "photo.png", bytes: photo },
      partials: 1,
    });
    const reply = await world.finalReply(interaction);
    const runId = jobIdOf(reply);
    await worker.waitForLog(
      (line) => line.msg === "job completed" && line.jobId === runId,
      "the worker's job",
    );

    const runs = new S3BlobStore(s3.storage(bucket, PREFIX));
    expect(await runs.listFolders()).toContain(runId);
    const listed = await s3.client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${PREFIX}${runId}/` }),
    );
    const keys = (listed.Contents ?? []).map((object) => object.Key?.slice(PREFIX.length));
    expect(keys).toEqual([
      `${runId}/final_0.png`,
      `${runId}/inputs/image_0.png`,
      `${runId}/metadata.json`,
      `${runId}/partial_0.png`,
    ]);
    const metadata = JSON.parse((await runs.get(`${runId}/metadata.json`)).toString()) as RunMetadata;
    expect(metadata).toMatchObject({ runId, status: "completed", finals: [`${runId}/final_0.png`] });
    // The input the bot stored is the one the worker sent: the two processes met only in the bucket.
    const [input] = metadata.inputs.images;
    expect(input).toMatch(new RegExp(`^${runId}/inputs/`));
    expect(await runs.get(input ?? "")).toEqual(photo);

    const link = await runs.presignedGet(`${runId}/final_0.png`, 300);
    const fetched = Buffer.from(await (await fetch(link)).arrayBuffer());
    expect(fetched).toEqual(await runs.get(`${runId}/final_0.png`));
    const shown = reply.attachments[0];
    if (shown === undefined) throw new Error("the result shows no image");
    expect(fetched).toEqual(Buffer.from(await (await fetch(shown.url)).arrayBuffer()));
    // Nothing went to the local folder.
    expect(await readdir(world.storageDir)).toEqual([]);

    // A final too large for the upload limit is shown re-encoded; its message links the original in the
    // bucket with a presigned GET, made by the worker.
    world.discord.setAttachmentSizeLimit(60_000);
    const large = await world.finalReply(
      await world.discord.slash("imagine", { prompt: "a detailed harbour", size: "1536x1024" }),
    );
    const original = /\[Open the original\]\(<([^>]+)>\)/.exec(large.content)?.[1];
    expect(original, large.content).toMatch(new RegExp(`^${s3.endpoint}/${bucket}/${PREFIX}`));
    expect(original).toContain("X-Amz-Signature=");
    const fromLink = Buffer.from(await (await fetch(original ?? "")).arrayBuffer());
    expect(fromLink).toEqual(await runs.get(`${jobIdOf(large)}/final_0.png`));

    await stopCleanly(bot);
    await stopCleanly(worker);
  });
});
