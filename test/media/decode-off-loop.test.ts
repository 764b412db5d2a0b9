import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { prepareInputs, type RawFile } from "../../src/media/check-inputs.js";
import { oneBitBmp, rgbaPixels, solid } from "./fixtures.js";

/** CPU time in ms of the main thread (what held the event loop) and of the whole process (every thread). */
const mainThreadMs = () => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};
const processMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected the inputs to be refused");
}

/**
 * Counts the event loop's turns (a setImmediate chain) and the most main-thread CPU time spent between two
 * of them: the longest the loop was held. CPU time, not wall time, so a loaded machine adds nothing.
 */
function watchEventLoop() {
  let turns = 0;
  let longestHeldMs = 0;
  let watching = true;
  let last = mainThreadMs();
  const turn = () => {
    const now = mainThreadMs();
    longestHeldMs = Math.max(longestHeldMs, now - last);
    last = now;
    turns += 1;
    if (watching) setImmediate(turn);
  };
  setImmediate(turn);
  return () => {
    watching = false;
    return { turns, longestHeldMs };
  };
}

// A worker shares its event loop with every job it runs: a BMP decoded there in JavaScript held everyone's
// jobs for seconds, and one refused for a truncated file beside it had cost all of that for nothing.
describe.skipIf(typeof process.threadCpuUsage !== "function")(
  "untrusted inputs decoded off the event loop",
  () => {
    const size = 4000;
    const scan = oneBitBmp(size, size);

    it("decodes a large 1-bit BMP on the decode thread while another person's job finishes, then refuses a truncated PNG beside it before decoding anything", async () => {
      const photo: RawFile = { name: "photo.png", bytes: await solid(64, 64, "#336699") };
      const finished: string[] = [];
      const mainBefore = mainThreadMs();
      const processBefore = processMs();
      const stopWatching = watchEventLoop();
      const big = prepareInputs([{ name: "scan.bmp", bytes: scan }, photo]).then((inputs) => {
        finished.push("scan");
        return inputs;
      });
      const other = prepareInputs([photo]).then(() => finished.push("other person"));
      const [inputs] = await Promise.all([big, other]);
      const { turns, longestHeldMs } = stopWatching();
      const decodeMs = processMs() - processBefore;
      const offLoopMs = decodeMs - (mainThreadMs() - mainBefore);

      expect(finished).toEqual(["other person", "scan"]);
      expect(turns).toBeGreaterThan(10);
      // The old decode held the loop for more CPU time than all the other threads spent; now a sliver of it.
      expect(longestHeldMs).toBeLessThan(offLoopMs / 4);
      expect(inputs.images.map(({ name }) => name)).toEqual(["image_0.png", "image_1.png"]);
      expect(inputs.conversions).toEqual([{ image: 0, from: "bmp", to: "png" }]);
      const pixels = await rgbaPixels(inputs.images[0]?.bytes as Buffer);
      expect([pixels.at(10, 10), pixels.at(size - 10, 10)].map(({ r }) => r)).toEqual([255, 0]);
      expect([pixels.at(10, size - 10), pixels.at(size - 10, size - 10)].map(({ r }) => r)).toEqual([0, 255]);

      // The same scan beside a PNG cut inside its header (the gateway's check), or inside its pixels (what
      // passes that check and reaches the worker): refused at that PNG, the scan never decoded.
      const png = await solid(800, 600, "#aa3300");
      const cuts = [
        {
          bytes: png.subarray(0, 20),
          code: "image_unreadable",
          says: "is not an image we can read (or its header is damaged).",
        },
        {
          bytes: png.subarray(0, png.length / 2),
          code: "image_corrupt",
          says: "is damaged or truncated and cannot be decoded.",
        },
      ];
      for (const { bytes, code, says } of cuts) {
        const refusedBefore = processMs();
        const error = await rejection(
          prepareInputs([
            { name: "scan.bmp", bytes: scan },
            { name: "cut.png", bytes },
          ]),
        );
        expect(error.code).toBe(code);
        expect(error.message).toBe(`Image 2 (cut.png) ${says}`);
        expect(processMs() - refusedBefore).toBeLessThan(decodeMs / 4);
      }
    });

    it("abandons a decode past its time limit with one sentence, and decodes the next file on a fresh thread", async () => {
      const error = await rejection(
        prepareInputs([{ name: "scan.bmp", bytes: scan }], undefined, { decodeTimeoutMs: 1 }),
      );
      expect(error.code).toBe("image_decode_too_slow");
      expect(error.message).toBe(
        "Image 1 (scan.bmp) took more than 1 s to decode and was abandoned; save it as PNG or JPEG and send it again.",
      );
      const small = oneBitBmp(64, 32);
      const inputs = await prepareInputs([{ name: "small.bmp", bytes: small }]);
      const pixels = await rgbaPixels(inputs.images[0]?.bytes as Buffer);
      expect([pixels.at(1, 1).r, pixels.at(62, 1).r, pixels.at(1, 30).r, pixels.at(62, 30).r]).toEqual([
        255, 0, 0, 255,
      ]);
    });
  },
);
