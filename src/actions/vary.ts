import type { RunStore } from "../storage/run-store.js";
import { defineAction } from "./action.js";
import { followUpShape, varyRun } from "./follow-ups.js";
import type { Press } from "./press-id.js";

/** The first image unless the press names one (`v2:vary:<runId>:<image>`). */
const variation = (runs: RunStore, press: Press) =>
  varyRun(runs, press.runId, press.image === undefined ? {} : { imageIndex: press.image });

/** Vary: an edit of the result's image with its own prompt, for a new result beside this one. */
export const vary = defineAction({
  name: "vary",
  label: "Vary",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "result", needsStoredFinal: true },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  perImage: true,
  estimate: async (runs, press) => followUpShape(await variation(runs, press)),
  async run({ press, port, deps }) {
    await port.submitFollowUp(await variation(deps.runs, press), press);
  },
});
