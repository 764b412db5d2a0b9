import { defineCommand } from "./types.js";

/**
 * `/forget`, inside a refinement thread: deletes the thread's images, its history and the responses OpenAI
 * stores for it. For the person who started the thread, or the server's admins.
 */
export const forgetCommand = defineCommand({
  kind: "slash",
  name: "forget",
  description: "In a refinement thread: delete its images, its history and OpenAI's stored responses",
  access: "listed",
  // Refinement threads exist only on servers that added the bot (it opens them there).
  reach: "servers",
  options: [],
  slack: "word",
  // A slash command cannot say which thread it was typed in: on Slack, forgetting is a mention in the thread.
  slackHelp: () =>
    "To forget a thread (its images in storage, the responses OpenAI stored, its history), mention @imagine with `forget` inside it; *Delete* under a result removes that one.",
});
