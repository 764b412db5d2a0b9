import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";

/**
 * Where run files live. Keys are relative, slash-separated paths such as `20261121-0930-ab12cd/final_0.png`;
 * jobs carry keys, never bytes. A local directory is the default; `S3BlobStore` keeps them in an S3-compatible
 * bucket, which workers on several machines share.
 */
export interface BlobStore {
  put(key: string, bytes: Buffer | string): Promise<void>;
  /** The blob's bytes; throws when there is none, as when it cannot be read. */
  get(key: string): Promise<Buffer>;
  /**
   * The blob's bytes, or `undefined` when no blob has this key. Anything else (a permission, a directory
   * where the file should be, a failing disk or network) throws: absence is the only failure it answers.
   */
  find(key: string): Promise<Buffer | undefined>;
  /** A path or URL a person can open, for messages such as the CLI's summary. */
  locate(key: string): string;
  /**
   * Removes the folder `prefix` and every blob under it (a run's folder, when a person deletes their images);
   * answers whether there was anything to remove.
   */
  removeFolder(prefix: string): Promise<boolean>;
  /**
   * The names of the top-level folders, sorted: one per run (`isRunId` tells them from others such as a
   * readiness probe's `_readiness`). An empty or not yet created store has none.
   */
  listFolders(): Promise<string[]>;
  /**
   * A URL anyone holding it can fetch the blob from for `expiresInSeconds`, without credentials. Only stores
   * reachable over HTTP have it (S3), not a local directory.
   */
  presignedGet?(key: string, expiresInSeconds: number): Promise<string>;
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

/**
 * A folder key that may be removed: safe, and not the root (`a/..` passes the key check but names the root: a
 * deletion must never reach beyond one folder).
 */
export function assertFolderKey(prefix: string): void {
  assertSafeKey(prefix);
  if (normalize(prefix) === ".") throw new InvalidStorageKeyError(`Storage key "${prefix}" is the root`);
}

/**
 * Writes the file, making its folder only when it is missing: a run's folder exists from its first file on,
 * and asking for it before every write cost a worker more system time than the write itself.
 */
async function writeMakingFolder(path: string, bytes: Buffer | string): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
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
    // Write-then-rename so a reader (or a crash) never sees half a file.
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeMakingFolder(temporary, bytes);
      await rename(temporary, path);
    } catch (error) {
      // A full or failing disk leaves half a file behind: it is nobody's, and it takes the space still left.
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  async get(key: string): Promise<Buffer> {
    return readFile(this.locate(key));
  }

  async find(key: string): Promise<Buffer | undefined> {
    const path = this.locate(key);
    try {
      return await readFile(path);
    } catch (error) {
      // ENOENT only: ENOTDIR (a file where a folder of the key should be) is damage, not absence.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async removeFolder(prefix: string): Promise<boolean> {
    assertFolderKey(prefix);
    try {
      await rm(this.locate(prefix), { recursive: true });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }

  async listFolders(): Promise<string[]> {
    try {
      const entries = await readdir(this.root, { withFileTypes: true });
      return entries
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    } catch (error) {
      // No run has been stored yet: the folder is made by the first write.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  }
}
