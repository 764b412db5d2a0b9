import { defineAction } from "./action.js";
import { shownRun } from "./shown-run.js";

/**
 * Show: a past result posted again where it is pressed, with its usual buttons acting on the original run
 * (`/show <job id>` does the same). Offered under the `/history` list, not under results.
 */
export const show = defineAction({
  name: "show",
  label: "Show",
  tone: "plain",
  offer: { platforms: ["discord", "slack"], under: "history" },
  pressers: { kind: "anyone-here" },
  // It posts a message where it is pressed, as a command that starts a job would.
  accessListed: true,
  origin: "run",
  async run({ press, port, deps }) {
    await port.showRun(await shownRun(deps.runs, press.runId, port.place));
  },
});
