import { type REST, type RESTGetCurrentApplicationResult, Routes } from "discord.js";
import { discordCommands } from "./commands/index.js";

/**
 * Bulk-overwrites the application's commands: in one guild (instant, for development) or globally.
 * The application id is read from `GET /applications/@me` when not configured.
 */
export async function registerCommands(
  rest: REST,
  target: { applicationId?: string | undefined; guildId?: string | undefined },
): Promise<{ applicationId: string; scope: string; count: number }> {
  const applicationId =
    target.applicationId ??
    ((await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult).id;
  const route = target.guildId
    ? Routes.applicationGuildCommands(applicationId, target.guildId)
    : Routes.applicationCommands(applicationId);
  const saved = (await rest.put(route, { body: discordCommands })) as unknown[];
  return { applicationId, scope: target.guildId ? `guild ${target.guildId}` : "global", count: saved.length };
}
