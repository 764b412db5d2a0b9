import { defineAction } from "./action.js";
import { followUpShape, rerollRun } from "./follow-ups.js";

/** Re-roll: the same request on the same inputs, for a new result beside this one. */
export const reroll = defineAction({
  name: "reroll",
  label: "Re-roll",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "result" },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  estimate: async (runs, press) => followUpShape(await rerollRun(runs, press.runId)),
  async run({ press, port, deps }) {
    await port.submitFollowUp(await rerollRun(deps.runs, press.runId), press);
  },
});
