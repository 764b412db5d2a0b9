import { setTimeout as sleep } from "node:timers/promises";

/**
 * How long a test waits for something the bot will do by default. Generous on purpose: on a loaded 2-core
 * machine a whole job takes seconds, and a wait that is only ever cut short by a bug costs nothing when the
 * code is right.
 */
export const WAIT_TIMEOUT_MS = 15_000;

/** Between two checks: short enough not to slow a test down, long enough not to busy the event loop. */
const POLL_INTERVAL_MS = 20;

/**
 * The one wait of the test suite: polls `check` until it returns a value (anything but `undefined` or
 * `false`) and resolves with it, or fails after `timeoutMs` naming `what` it waited for.
 *
 * Use it to wait for something to happen. To show that something did NOT happen, never wait a while and
 * look: make a later request whose answer is known to come after, wait for that, then look.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = WAIT_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(POLL_INTERVAL_MS);
  }
}
