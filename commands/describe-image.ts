import { defineCommand } from "./types.js";

/** "Describe image" on a message with an image: 3 prompts that would make it, each with a "Use" button. */
export const describeImageCommand = defineCommand({
  kind: "message",
  name: "Describe image",
  description: "Get 3 prompts that would recreate this message's image",
  access: "listed",
  slack: "shortcut",
  slackHelp: () =>
    "To get prompts for an image, use the message shortcut *Describe image* on it: each prompt comes with a button that makes it.",
});
