import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * A run folder as it stands: each file's path, size and modification time. Two equal snapshots mean nothing
 * was written, replaced or removed in between.
 */
export async function runFolderSnapshot(storageDir: string, runId: string): Promise<string[]> {
  const folder = join(storageDir, runId);
  const names = await readdir(folder, { recursive: true });
  const entries = await Promise.all(
    names.map(async (name) => {
      const info = await stat(join(folder, name));
      return `${name} ${info.size} ${info.mtimeMs}`;
    }),
  );
  return entries.sort();
}
