import { expect } from "vitest";
import { type ScriptProcess, waitGone } from "./npm-process.js";

/** What the process tests use of the spawning half, next to the assertions they make with it. */
export {
  REPO_ROOT,
  type ScriptProcess,
  startCommand,
  startNpm,
  startScript,
  waitGone,
} from "./npm-process.js";

/**
 * A test that starts processes waits for Node to load the SDKs and compile TypeScript (seconds each, many more on
 * a loaded 2-core machine); the time limit leaves room for that. Nothing decides by time below it.
 */
export const PROCESS_TEST_TIMEOUT_MS = 180_000;

/**
 * SIGTERM through npm reaches the app, which exits with 0 within a few seconds (nothing is running) and leaves
 * no process behind.
 */
export async function stopCleanly(proc: ScriptProcess): Promise<void> {
  const pid = proc.appPid();
  const ended = await proc.terminate();
  expect(ended, proc.output()).toMatchObject({ code: 0, signal: null });
  expect(ended.ms).toBeLessThan(8_000);
  if (pid !== undefined) await waitGone(pid, 2_000);
}
