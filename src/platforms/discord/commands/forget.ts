import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";

/**
 * `/forget`, inside a refinement thread: deletes the thread's images, its history and the responses OpenAI
 * stores for it. For the person who started the thread, or the server's admins.
 */
export const forgetData = {
  name: "forget",
  description: "In a refinement thread: delete its images, its history and OpenAI's stored responses",
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
