import { runStartedAt } from "../core/run-id.js";
import type { Logger } from "../logger.js";
import { madeImages, type RunMetadata, type RunStore } from "../storage/run-store.js";
import type { RunIndex, RunOwner } from "../stores/run-index.js";

/** How many runs `/history` lists: one media gallery's worth (Discord's 10 items). */
export const HISTORY_LENGTH = 10;

/** One line of `/history`: what was asked, when, its job id and its stored finals. */
export interface HistoryEntry {
  runId: string;
  jobId: string;
  prompt: string;
  startedAt: Date;
  /** Storage keys of the run's final images, first first. */
  finals: readonly string[];
}

/**
 * A run made here that has an image to show again; anything else (failed, still running, unreadable, a
 * folder saying it was made elsewhere) is not listed.
 */
function entryOf(metadata: RunMetadata, owner: RunOwner): HistoryEntry | undefined {
  const { user } = metadata.origin;
  const here = user.platform === owner.platform && user.workspace === owner.workspace && user.id === owner.id;
  if (!here || !madeImages(metadata)) return undefined;
  const { runId, jobId, prompt, finals } = metadata;
  return { runId, jobId, prompt, startedAt: runStartedAt(runId), finals };
}

/**
 * The person's newest runs with an image, newest first, read from their index (never by listing the run
 * store). With `prune`, runs whose folder is gone (Delete, `/forget`, retention) leave the index as they are
 * met; the CLI does not prune, as its runs may sit in other `--out` folders than the one it reads.
 */
export async function historyEntries(
  deps: { runs: RunStore; index: RunIndex; logger?: Logger },
  owner: RunOwner,
  options: { count?: number; prune: boolean },
): Promise<HistoryEntry[]> {
  const count = options.count ?? HISTORY_LENGTH;
  const ids = await deps.index.newest(owner);
  const entries: HistoryEntry[] = [];
  const gone: string[] = [];
  // A list's worth of folders read at once (S3 answers each in its own round trip), more only if some are gone.
  for (let start = 0; start < ids.length && entries.length < count; start += count) {
    const batch = ids.slice(start, start + count);
    const read = await Promise.all(batch.map((runId) => readMetadata(deps, runId)));
    for (const [index, metadata] of read.entries()) {
      if (metadata === undefined) gone.push(batch[index] ?? "");
      const entry = metadata ? entryOf(metadata, owner) : undefined;
      if (entry !== undefined && entries.length < count) entries.push(entry);
    }
  }
  if (options.prune) await deps.index.remove(owner, gone);
  return entries;
}

/** The run's metadata, undefined when its folder is gone, null when it cannot be read (logged, not listed). */
async function readMetadata(
  deps: { runs: RunStore; logger?: Logger },
  runId: string,
): Promise<RunMetadata | null | undefined> {
  // One damaged folder must not hide the rest of the list.
  return deps.runs.findMetadata(runId).catch((error: unknown) => {
    deps.logger?.warn({ err: error, runId }, "run metadata unreadable in history");
    return null;
  });
}
