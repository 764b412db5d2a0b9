import { mkdir, mkdtemp, rmdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { isUserError, type SentenceParams, type UserError, userError } from "../core/errors.js";

function unusable(problem: SentenceParams<"out_unusable">): UserError {
  return userError("out_unusable", problem, { details: { out: problem.path } });
}

async function kindOf(path: string): Promise<"folder" | "other" | "missing"> {
  try {
    return (await stat(path)).isDirectory() ? "folder" : "other";
  } catch (error) {
    // ENOTDIR: a file stands where a folder of the path should be; the walk up finds and names it.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "missing";
    throw error;
  }
}

/**
 * Makes sure the run folder's parent exists and takes new folders, before anything is spent: a run that
 * cannot be saved is a run paid for and lost. Missing folders are created one level at a time, never with
 * `mkdir -p`, which spins for ever on paths it can never create (`/proc/nope`); a probe folder made and
 * removed again is the only honest test of "writable" (as root, permission bits say yes to `/proc`).
 * @throws `UserError` `out_unusable` naming the path and what is wrong with it.
 */
export async function prepareOutDir(path: string): Promise<void> {
  const target = resolve(path);
  const missing: string[] = [];
  let existing = target;
  try {
    for (let kind = await kindOf(existing); kind !== "folder"; kind = await kindOf(existing)) {
      if (kind === "other") {
        throw unusable(
          existing === target ? { path, problem: "file" } : { path, problem: "inside_file", file: existing },
        );
      }
      missing.unshift(existing);
      existing = dirname(existing);
    }
    for (const folder of missing) {
      // Another run creating the same folder at the same moment is no problem.
      await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
    }
    await rmdir(await mkdtemp(join(target, ".write-check-")));
  } catch (error) {
    if (isUserError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw unusable({ path, problem: "unwritable", reason: code });
  }
}
