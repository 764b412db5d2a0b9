import { defineAction } from "./action.js";
import { followUpShape } from "./follow-ups.js";
import { enhanceRun } from "./studio-runs.js";

/** ✨ Enhance: the result's request again, its prompt rewritten by the text model first, for a new result beside it. */
export const enhance = defineAction({
  name: "enhance",
  label: "✨ Enhance",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "result" },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  estimate: async (runs, press) => followUpShape(await enhanceRun(runs, press.runId)),
  async run({ press, port, deps }) {
    await port.submitFollowUp(await enhanceRun(deps.runs, press.runId), press);
  },
});
