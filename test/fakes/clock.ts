/**
 * The fakes' one clock: wall-clock milliseconds with sub-millisecond resolution (`Date.now()` has whole
 * milliseconds only). Times taken in different fakes of one process, or by the process that runs them, compare
 * directly: the fake OpenAI writing a partial and the fake Discord receiving the edit that shows it.
 */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}
