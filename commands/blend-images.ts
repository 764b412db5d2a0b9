import { BLEND_IMAGES } from "../src/core/blend.js";
import { defineCommand } from "./types.js";

/** "Blend images" on a message with 2 to 5 images: blends them at once, as `/blend` without a prompt. */
export const blendImagesCommand = defineCommand({
  kind: "message",
  name: "Blend images",
  description: `Blend this message's ${BLEND_IMAGES.min} to ${BLEND_IMAGES.max} images into one new image`,
  access: "listed",
  slack: "shortcut",
  slackHelp: () =>
    `To blend ${BLEND_IMAGES.min} to ${BLEND_IMAGES.max} images, mention @imagine with blend and a prompt in a message with them attached (\`@imagine blend a snowy evening\`), or use the message shortcut *Blend images*.`,
});
