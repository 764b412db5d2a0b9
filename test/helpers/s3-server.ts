import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { S3StorageConfig } from "../../src/config/types.js";

const MAIN = fileURLToPath(new URL("./s3-server-main.ts", import.meta.url));

/**
 * The account s3rver knows. It checks that a request names this access key id, but it does not verify SigV4
 * signatures (s3rver 3.x): a wrong secret key or an altered signature is accepted, an unknown key id and an
 * expired presigned link are refused.
 */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/**
 * A local S3-compatible server (s3rver, in a process of its own: see s3-server-main.ts) on a free port, its data
 * in a temporary folder of its own.
 */
export interface LocalS3 {
  endpoint: string;
  /** A client with the server's credentials, for a test to look at the bucket behind the store's back. */
  client: S3Client;
  /** Creates a bucket of its own for a test (`label` in its name) and answers its name. */
  createBucket(label: string): Promise<string>;
  /** The storage config of `bucket` on this server. */
  storage(bucket: string, prefix?: string): S3StorageConfig;
  /** The `S3_*` variables of `bucket` on this server, for a bot or worker process. */
  env(bucket: string, prefix?: string): Record<string, string>;
  close(): Promise<void>;
}

/** A port nothing listens on (taken from the system, then let go): an S3 endpoint that does not answer. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startLocalS3(): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), "imagine-s3-"));
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "--import", "tsx", MAIN, directory], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", (line) => {
      resolve((JSON.parse(line) as { port: number }).port);
    });
    // Once listening, a later exit settles nothing.
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code} before listening`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const storage = (bucket: string, prefix = ""): S3StorageConfig => ({
    kind: "s3",
    bucket,
    endpoint,
    region: "us-east-1",
    credentials: LOCAL_S3_CREDENTIALS,
    forcePathStyle: true,
    prefix,
  });
  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return {
    endpoint,
    client,
    async createBucket(label) {
      // Bucket names: 3–63 lowercase letters, digits and hyphens.
      const bucket = `test-${label}-${randomBytes(4).toString("hex")}`.toLowerCase().slice(0, 63);
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    storage,
    env(bucket, prefix = "") {
      return {
        S3_BUCKET: bucket,
        S3_ENDPOINT: endpoint,
        S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
        S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
        S3_FORCE_PATH_STYLE: "true",
        S3_PREFIX: prefix,
      };
    },
    async close() {
      client.destroy();
      child.kill("SIGTERM");
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
