import { randomUUID } from "node:crypto";
import { HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { S3BlobStore } from "../../src/storage/s3-blob-store.js";
import { startLocalS3, unusedPort } from "../helpers/s3-server.js";

const s3 = await startLocalS3();
const bucket = await s3.createBucket("s3-blob-store");
afterAll(() => s3.close());
afterEach(() => {
  vi.useRealTimers();
});

/** A store of its own in the shared bucket: keys under a prefix no other test uses. */
function ownStore(): { store: S3BlobStore; prefix: string } {
  const prefix = `${randomUUID()}/`;
  return { store: new S3BlobStore(s3.storage(bucket, prefix)), prefix };
}

describe("S3BlobStore", () => {
  it("puts every key under the prefix, as the same object a local path would name, with its content type", async () => {
    const { store, prefix } = ownStore();
    await store.put("run-1/./inputs//image_0.png", Buffer.from([1, 2]));
    await store.put("run-1/metadata.json", "{}");
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual([
      `${prefix}run-1/inputs/image_0.png`,
      `${prefix}run-1/metadata.json`,
    ]);
    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}run-1/inputs/image_0.png` }),
    );
    expect(head.ContentType).toBe("image/png");
    expect([...(await store.get("run-1/inputs/image_0.png"))]).toEqual([1, 2]);
    expect(store.locate("run-1/metadata.json")).toBe(`s3://${bucket}/${prefix}run-1/metadata.json`);
  });

  it("lists only the folders under its own prefix", async () => {
    const first = ownStore();
    const second = ownStore();
    await first.store.put("run-a/metadata.json", "{}");
    await second.store.put("run-b/metadata.json", "{}");
    expect(await first.store.listFolders()).toEqual(["run-a"]);
    expect(await second.store.listFolders()).toEqual(["run-b"]);
  });

  it("throws from find when the bucket does not exist: a wrong configuration, not a missing run", async () => {
    const store = new S3BlobStore(s3.storage(`missing-${randomUUID()}`));
    await expect(store.find("run-1/metadata.json")).rejects.toMatchObject({
      name: "NoSuchBucket",
      $metadata: { httpStatusCode: 404 },
    });
  });

  it("throws from find when the endpoint does not answer", async () => {
    const storage = { ...s3.storage(bucket), endpoint: `http://127.0.0.1:${await unusedPort()}` };
    await expect(new S3BlobStore(storage).find("run-1/metadata.json")).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
  });

  it("throws from find when the store refuses the credentials", async () => {
    const storage = { ...s3.storage(bucket), credentials: { accessKeyId: "NOBODY", secretAccessKey: "x" } };
    await expect(new S3BlobStore(storage).find("run-1/metadata.json")).rejects.toMatchObject({
      name: "InvalidAccessKeyId",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("gives a presigned link that fetch() opens without credentials, to the same bytes", async () => {
    const { store } = ownStore();
    const bytes = Buffer.from("final image bytes");
    await store.put("run-1/final_0.png", bytes);
    const url = await store.presignedGet("run-1/final_0.png", 60);
    expect(url).toMatch(/X-Amz-Signature=[0-9a-f]{64}/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it("gives links that are refused once expired, or when they name another key id", async () => {
    const { store } = ownStore();
    await store.put("run-1/final_0.png", "x");
    // Signed two minutes ago for one minute: expired now, without waiting for it.
    vi.useFakeTimers({ now: Date.now() - 120_000, toFake: ["Date"] });
    const expired = await store.presignedGet("run-1/final_0.png", 60);
    vi.useRealTimers();
    const late = await fetch(expired);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain("Request has expired");

    // s3rver does not verify SigV4 signatures (an altered X-Amz-Signature is accepted); it checks the key id.
    const url = await store.presignedGet("run-1/final_0.png", 60);
    const forged = await fetch(url.replace("X-Amz-Credential=S3RVER", "X-Amz-Credential=SOMEONE"));
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain("InvalidAccessKeyId");
  });
});
