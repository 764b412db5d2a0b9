import { posix } from "node:path";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { S3StorageConfig } from "../config/types.js";
import { contentTypeOfKey } from "../core/content-types.js";
import { assertFolderKey, assertSafeKey, type BlobStore } from "./blob-store.js";

/** The most keys one ListObjectsV2 page holds and one DeleteObjects call takes. */
const S3_BATCH_LIMIT = 1000;

export interface S3BlobStoreOptions {
  /** Keys per list page and per delete call (S3's limit, 1000, by default); tests page with fewer. */
  batchSize?: number;
}

/**
 * Run files in an S3-compatible bucket (AWS S3, MinIO, R2, ...), each key under the configured prefix. Workers on
 * several machines that name the same bucket share every run folder.
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly batchSize: number;

  constructor(config: S3StorageConfig, options: S3BlobStoreOptions = {}) {
    this.bucket = config.bucket;
    this.prefix = config.prefix;
    this.batchSize = Math.min(options.batchSize ?? S3_BATCH_LIMIT, S3_BATCH_LIMIT);
    this.client = new S3Client({
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      ...(config.credentials ? { credentials: config.credentials } : {}),
      // Stores other than AWS reject or mishandle the CRC checksums the SDK adds to every request by default.
      ...(config.endpoint
        ? {
            endpoint: config.endpoint,
            requestChecksumCalculation: "WHEN_REQUIRED",
            responseChecksumValidation: "WHEN_REQUIRED",
          }
        : {}),
      // Without timeouts an endpoint that stops answering holds a job's write forever.
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
    });
  }

  /** The object key of a storage key: checked, normalized as a local path would be, under the prefix. */
  private objectKey(key: string): string {
    assertSafeKey(key);
    return `${this.prefix}${posix.normalize(key)}`;
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${this.objectKey(key)}`;
  }

  async put(key: string, bytes: Buffer | string): Promise<void> {
    const objectKey = this.objectKey(key);
    // What a browser opening a presigned link needs to show the file rather than download an unnamed blob.
    const contentType = contentTypeOfKey(key);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        Body: bytes,
        ...(contentType ? { ContentType: contentType } : {}),
      }),
    );
  }

  async get(key: string): Promise<Buffer> {
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
    );
    if (object.Body === undefined) throw new Error(`${this.locate(key)} came back without a body`);
    return Buffer.from(await object.Body.transformToByteArray());
  }

  async find(key: string): Promise<Buffer | undefined> {
    try {
      return await this.get(key);
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  async removeFolder(prefix: string): Promise<boolean> {
    assertFolderKey(prefix);
    // The slash keeps `run-1` from taking `run-10` with it.
    const folder = `${this.objectKey(prefix)}/`;
    let removed = false;
    // Each round lists from the start what is still there, rather than paging on past deleted keys: a
    // continuation token that points at removed objects is not something every S3-compatible store survives.
    for (;;) {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: folder, MaxKeys: this.batchSize }),
      );
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
      if (keys.length === 0) return removed;
      const result = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0];
        throw new Error(
          `${failed.length} of ${keys.length} objects under s3://${this.bucket}/${folder} were not removed (${first?.Key}: ${first?.Code} ${first?.Message})`,
        );
      }
      removed = true;
    }
  }

  async listFolders(): Promise<string[]> {
    const folders: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix,
          Delimiter: "/",
          MaxKeys: this.batchSize,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.slice(this.prefix.length, -1);
        if (name) folders.push(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return folders.sort();
  }

  async presignedGet(key: string, expiresInSeconds: number): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }
}

/**
 * No object has the key: `NoSuchKey`, or a bare 404 (a store that sends no error body). A missing bucket is a
 * 404 too, but it is a wrong configuration, not an absent run, and throws.
 */
function isMissingObject(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  if (error.name === "NoSuchKey") return true;
  return error.$metadata.httpStatusCode === 404 && error.name !== "NoSuchBucket";
}
