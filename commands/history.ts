import { defineCommand } from "./types.js";

/**
 * `/history` (`/imagine history` on Slack, `imagine history` in the CLI): the person's last runs in this server
 * or workspace, privately, with their prompts, job ids and a Show button each. It spends nothing.
 */
export const historyCommand = defineCommand({
  kind: "slash",
  name: "history",
  description: "Your last 10 images here, with their prompts and job ids, only for you",
  access: "anywhere",
  options: [],
  slack: "word",
  slackHelp: (slash) =>
    `\`${slash} history\` lists your last 10 images in this workspace with their job ids, only for you; *Show* posts one again.`,
});
