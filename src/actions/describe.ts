import { defineAction } from "./action.js";
import { chosenImage } from "./chosen-image.js";
import { followUpShape } from "./follow-ups.js";
import { describedPromptRun, describeImageRun } from "./studio-runs.js";

/** Describe: the model looks at the chosen image and proposes prompts that would make it, each with a "Use" button. */
export const describe = defineAction({
  name: "describe",
  label: "Describe",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "result", needsStoredFinal: true },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  perImage: true,
  async run({ press, port, deps }) {
    await chosenImage(deps.runs, press);
    const followUp = await describeImageRun(deps.runs, press, await port.requestDefaults());
    await port.submitFollowUp(followUp, press);
  },
});

/** "Use N" under a Describe: its Nth prompt made as an `/imagine` (`v2:describe-use:<runId>:<N-1>`). */
export const describeUse = defineAction({
  name: "describe-use",
  label: "Use",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "description" },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  perImage: true,
  estimate: async (runs, press) => followUpShape(await describedPromptRun(runs, press)),
  async run({ press, port, deps }) {
    await port.submitFollowUp(await describedPromptRun(deps.runs, press), press);
  },
});
