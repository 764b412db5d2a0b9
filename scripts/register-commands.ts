/**
 * `npm run register-commands`: puts every command of `commands/index.ts` to Discord, for DISCORD_GUILD_ID when
 * set (instant) or globally (with user installs unless DISCORD_ALLOW_USER_INSTALL=false).
 */
import { loadConfig } from "../src/config/load.js";
import { ConfigError } from "../src/config/types.js";
import { registerCommands } from "../src/platforms/discord/register-commands.js";
import { createRest } from "../src/platforms/discord/rest.js";
import { answerHelp } from "../src/script-help.js";

answerHelp(`Usage: npm run register-commands

Registers the bot's slash commands (commands/) with Discord, with DISCORD_TOKEN (and DISCORD_APPLICATION_ID
when set; otherwise looked up from the token): for the server DISCORD_GUILD_ID when set (they appear at once),
otherwise globally (they can take a while to appear), with user installs unless
DISCORD_ALLOW_USER_INSTALL=false. Exits 2 on a configuration error, 1 when Discord refuses.`);

try {
  const config = loadConfig(undefined, ["discord"]);
  const discord = config.discord;
  if (discord === undefined) throw new Error("DISCORD_TOKEN is not set");
  const { applicationId, scope, count } = await registerCommands(createRest(discord), discord);
  console.log(`Registered ${count} commands for application ${applicationId} (${scope}).`);
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `register-commands failed: ${(error as Error).message}`,
  );
  process.exit(error instanceof ConfigError ? 2 : 1);
}
