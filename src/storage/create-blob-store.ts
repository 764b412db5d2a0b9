import type { StorageConfig } from "../config.js";
import { type BlobStore, LocalBlobStore } from "./blob-store.js";
import { S3BlobStore } from "./s3-blob-store.js";

/** The run storage the configuration names: its bucket when `S3_BUCKET` is set, else `STORAGE_DIR`. */
export function createBlobStore(storage: StorageConfig): BlobStore {
  return storage.kind === "s3" ? new S3BlobStore(storage) : new LocalBlobStore(storage.dir);
}
