import { defineCommand } from "./types.js";

/** "Edit image" on a message with an image: asks for a prompt, then edits that image. */
export const editImageCommand = defineCommand({
  kind: "message",
  name: "Edit image",
  description: "Edit this message's image with a prompt",
  access: "listed",
  slack: "shortcut",
  slackHelp: () =>
    "To edit an image, reply in its thread with @imagine and what to change (attach images to add them), or use the message shortcut *Edit image*. Keep replying in the thread to refine.",
});
