import { defineAction } from "./action.js";
import { chosenImage } from "./chosen-image.js";
import { referenceRun } from "./prompt-follow-ups.js";

/**
 * Use as reference: asks for a prompt in a form, then makes a new image from it with the chosen image as its
 * input. As with Edit, the image is checked before the form opens and again on submit.
 */
export const reference = defineAction({
  name: "reference",
  label: "Use as reference",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "result", needsStoredFinal: true },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  perImage: true,
  async run({ press, port, deps, prompt }) {
    if (prompt === undefined) {
      await chosenImage(deps.runs, press);
      return port.askForPrompt({
        title: `New image from image ${(press.image ?? 0) + 1}`,
        label: "What should the new image show?",
        submit: "Make",
        press,
      });
    }
    const followUp = await referenceRun(deps.runs, press, prompt, await port.requestDefaults());
    await port.submitFollowUp(followUp, press);
  },
});
