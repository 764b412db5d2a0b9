import { defineAction } from "./action.js";
import { chosenImage } from "./chosen-image.js";
import { editImageRun } from "./prompt-follow-ups.js";

/**
 * Edit: asks for a prompt in a form, then edits the chosen image with it (like Vary with a prompt, same size).
 * The press checks the image first, so a removed one is answered before the form opens; the form's submit
 * comes back through the press pipeline with the prompt, checked again.
 */
export const edit = defineAction({
  name: "edit",
  label: "Edit",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "result", needsStoredFinal: true },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  perImage: true,
  async run({ press, port, deps, prompt }) {
    if (prompt === undefined) {
      await chosenImage(deps.runs, press);
      const image = (press.image ?? 0) + 1;
      return port.askForPrompt({
        title: `Edit image ${image}`,
        label: "How should the image change?",
        submit: "Edit",
        press,
      });
    }
    await port.submitFollowUp(await editImageRun(deps.runs, press, prompt), press);
  },
});
