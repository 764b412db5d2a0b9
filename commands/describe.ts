import { IMAGE_FILES, imagineOption } from "../src/core/imagine-options.js";
import { defineOptions } from "../src/core/option-definition.js";
import { defineCommand } from "./types.js";

/** `/describe`: the text model proposes prompts that would make the attached image, each with a "Use" button. */
export const describeCommand = defineCommand({
  kind: "slash",
  name: "describe",
  description: "Get 3 prompts that would recreate an image, each with a button that makes it",
  access: "listed",
  options: defineOptions([
    { ...imagineOption("image"), description: `The image to describe: ${IMAGE_FILES}`, required: true },
    imagineOption("private"),
  ]),
  // Slack's commands carry no files: `/imagine describe` says how to use the message shortcut.
  slack: "word",
  slackHelp: (slash) =>
    `\`${slash} describe\`: how to get 3 prompts for an image (the *Describe image* message shortcut).`,
});
