import { ASPECTS, BLEND_IMAGES } from "../src/core/blend.js";
import { IMAGE_FILES, imagineOption, imagineOptions } from "../src/core/imagine-options.js";
import { defineOptions } from "../src/core/option-definition.js";
import { choiceSchema } from "../src/core/option-schemas.js";
import { defineCommand } from "./types.js";

/** `/blend`: two to five images made into one new image, with an optional prompt. */
export const blendCommand = defineCommand({
  kind: "slash",
  name: "blend",
  description: `Blend ${BLEND_IMAGES.min} to ${BLEND_IMAGES.max} images into one new image`,
  access: "listed",
  options: defineOptions([
    {
      ...imagineOption("image"),
      description: `Image 1 to blend: ${IMAGE_FILES}`,
      // Counted by the handler (`checkBlendCount`): on Slack the images are a message's files.
      repeatable: BLEND_IMAGES.max,
      slots: {
        count: BLEND_IMAGES.max,
        required: BLEND_IMAGES.min,
        slotDescription: `Image {n} to blend: ${IMAGE_FILES}`,
      },
    },
    {
      ...imagineOption("prompt"),
      required: false,
      description: "What the blend should become (optional)",
    },
    {
      name: "aspect",
      description: "Shape of the result: square, landscape or portrait (default: the model chooses)",
      type: "string",
      choices: ASPECTS,
      schema: choiceSchema("aspect", ASPECTS),
    },
    ...imagineOptions(["model", "quality", "format", "partials", "api", "private"]),
  ]),
  // Slack's commands carry no files: `/imagine blend` says how to blend a message's images.
  slack: "word",
  slackHelp: (slash) =>
    `\`${slash} blend\`: how to blend 2 to 5 images (\`@imagine blend\` in a message with them, or the *Blend images* shortcut).`,
});
