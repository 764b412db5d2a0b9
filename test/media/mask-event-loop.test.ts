import { describe, expect, it } from "vitest";
import { prepareMask } from "../../src/media/mask.js";
import { blackWithWhiteSquare, rgbaPixels } from "./fixtures.js";

/** Main-thread CPU time in ms: what JavaScript (and anything else holding the event loop) spent. */
function mainThreadMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

/** The whole process's CPU time in ms: the main thread plus libuv's thread pool, where libvips works. */
function processMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

describe("prepareMask and the event loop", () => {
  // The bot's gateway shares the process with the worker: a mask converted in JavaScript would hold every
  // other person's interaction past Discord's 3-second deadline.
  it.skipIf(typeof process.threadCpuUsage !== "function")(
    "leaves the event loop free while it converts a large mask: the pixel work runs in libvips' threads",
    async () => {
      const size = 4000;
      const bytes = await blackWithWhiteSquare(size, size, { left: 1000, top: 1000, size: 2000 });

      // A setImmediate chain ticks whenever the event loop turns. Between two ticks, the main thread's CPU
      // time grows by whatever ran synchronously in between; the largest such growth is the longest time the
      // loop was held. CPU time, not wall time: a loaded machine that deschedules the process adds nothing.
      let ticks = 0;
      let longestHeldMs = 0;
      let converting = true;
      let lastTick = mainThreadMs();
      const tick = () => {
        const now = mainThreadMs();
        longestHeldMs = Math.max(longestHeldMs, now - lastTick);
        lastTick = now;
        ticks += 1;
        if (converting) setImmediate(tick);
      };
      const processBefore = processMs();
      const mainBefore = mainThreadMs();
      setImmediate(tick);
      const mask = await prepareMask({ name: "big.png", bytes }, { width: size, height: size }, 50_000_000);
      converting = false;
      const threadPoolMs = processMs() - processBefore - (mainThreadMs() - mainBefore);

      // Slower machines make both sides larger alike; the old conversion held the loop for more CPU time
      // (its pixel loops) than libvips spent in all (decoding and encoding), the new one for a sliver of it.
      expect(ticks).toBeGreaterThan(10);
      expect(threadPoolMs).toBeGreaterThan(0);
      expect(longestHeldMs).toBeLessThan(threadPoolMs / 4);

      const pixels = await rgbaPixels(mask.bytes);
      expect(pixels.at(2000, 2000).a).toBe(0);
      expect(pixels.at(10, 10).a).toBe(255);
    },
  );
});
