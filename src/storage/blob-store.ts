import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";

/**
 * Where run files live. Keys are relative, slash-separated paths such as `20261121-0930-ab12cd/final_0.png`;
 * jobs carry keys, never bytes. A local directory is the default; an S3-compatible store can implement the
 * same interface.
 */
export interface BlobStore {
  put(key: string, bytes: Buffer | string): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** A path or URL a person can open, for messages such as the CLI's summary. */
  locate(key: string): string;
}

export class InvalidStorageKeyError extends Error {
  override readonly name = "InvalidStorageKeyError";
}

/** Keys come from jobs in Redis: refuse anything that could escape the storage root. */
export function assertSafeKey(key: string): void {
  const normalized = normalize(key);
  if (
    key === "" ||
    isAbsolute(key) ||
    key.includes("\\") ||
    key.includes("\0") ||
    normalized.startsWith("..") ||
    normalized.split(sep).includes("..")
  ) {
    throw new InvalidStorageKeyError(`Storage key "${key}" is not a safe relative path`);
  }
}

export class LocalBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  locate(key: string): string {
    assertSafeKey(key);
    return join(this.root, key);
  }

  async put(key: string, bytes: Buffer | string): Promise<void> {
    const path = this.locate(key);
    await mkdir(dirname(path), { recursive: true });
    // Write-then-rename so a reader (or a crash) never sees half a file.
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  }

  async get(key: string): Promise<Buffer> {
    return readFile(this.locate(key));
  }
}
