import { defineAction } from "./action.js";
import { runDetails } from "./follow-ups.js";

/** Details: what was sent, what it cost, how long it took; shown only to whoever pressed. */
export const details = defineAction({
  name: "details",
  label: "Details",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "result", onAnswers: true },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  async run({ press, port, deps }) {
    await port.showDetails(await runDetails(deps.runs, press.runId));
  },
});
