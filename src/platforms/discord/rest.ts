import { REST } from "discord.js";
import type { DiscordConfig } from "../../config.js";

/** One REST client per process: @discordjs/rest queues per route bucket, so all jobs share the limits. */
export function createRest(config: DiscordConfig): REST {
  return new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
}
