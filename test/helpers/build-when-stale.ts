import { execFile } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

// Its own: vitest's global setup and `npm run bench` load this outside any test.
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** What `npm run build` compiles, and what decides how it compiles. */
const SOURCES = ["src", "commands", "scripts", "web", "tsconfig.json", "tsconfig.build.json", "package.json"];
/** Written by every build (the build starts from an empty `dist/`), so its age is the build's. */
const BUILT_ENTRY = "dist/src/app/main.js";

/**
 * The tests and `npm run bench` start the programs as README runs them (`npm start` runs `dist/`), so `dist/`
 * must be the build of the sources under test: built once before them when it is missing or older than any
 * source, so nothing runs yesterday's code.
 */
export default async function buildWhenStale(): Promise<void> {
  const built = await stat(join(REPO_ROOT, BUILT_ENTRY)).then(
    (entry) => entry.mtimeMs,
    () => undefined,
  );
  if (built !== undefined && (await newestChange(SOURCES.map((path) => join(REPO_ROOT, path)))) <= built)
    return;
  await promisify(execFile)("npm", ["run", "-s", "build"], { cwd: REPO_ROOT }).catch((error: unknown) => {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed before the tests:\n${stdout}${stderr}`);
  });
}

async function newestChange(paths: string[]): Promise<number> {
  let newest = 0;
  for (const path of paths) {
    const entry = await stat(path);
    if (entry.isDirectory()) {
      const children = await readdir(path);
      newest = Math.max(newest, await newestChange(children.map((child) => join(path, child))));
    } else {
      newest = Math.max(newest, entry.mtimeMs);
    }
  }
  return newest;
}
