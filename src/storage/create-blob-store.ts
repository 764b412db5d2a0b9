import type { StorageConfig } from "../config/types.js";
import { type BlobStore, LocalBlobStore } from "./blob-store.js";

/**
 * The run storage the configuration names: its bucket when `S3_BUCKET` is set, else `STORAGE_DIR`. The AWS SDK
 * is loaded only for a bucket: unused, it held some 30 MB of every process's memory.
 */
export async function createBlobStore(storage: StorageConfig): Promise<BlobStore> {
  if (storage.kind === "local") return new LocalBlobStore(storage.dir);
  const { S3BlobStore } = await import("./s3-blob-store.js");
  return new S3BlobStore(storage);
}
