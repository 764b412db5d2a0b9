import { type REST, type RESTGetCurrentApplicationResult, Routes } from "discord.js";
import { discordCommands } from "./commands/index.js";

/**
 * Bulk-overwrites the application's commands: in one guild (instant, for development) or globally, where
 * they also reach DMs and group DMs through a user install unless `userInstall` is off.
 * The application id is read from `GET /applications/@me` when not configured.
 */
export async function registerCommands(
  rest: REST,
  target: { applicationId?: string | undefined; guildId?: string | undefined; allowUserInstall: boolean },
): Promise<{ applicationId: string; scope: string; count: number }> {
  const applicationId =
    target.applicationId ??
    ((await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult).id;
  const route = target.guildId
    ? Routes.applicationGuildCommands(applicationId, target.guildId)
    : Routes.applicationCommands(applicationId);
  const body = discordCommands({
    scope: target.guildId ? "guild" : "global",
    userInstall: target.allowUserInstall,
  });
  const saved = (await rest.put(route, { body })) as unknown[];
  return { applicationId, scope: target.guildId ? `guild ${target.guildId}` : "global", count: saved.length };
}
