import type { REST } from "discord.js";
import type { DiscordConfig } from "../../config/types.js";
import type { Logger } from "../../logger.js";
import type { PlatformContext } from "../platform.js";
import type { DownloadPolicy } from "./download.js";
import type { SettingsStore } from "./settings-store.js";
import type { InteractionTokens } from "./token-store.js";

/** What the Discord handlers share: the process context plus Discord's own clients and stores. */
export interface DiscordContext {
  process: PlatformContext;
  config: DiscordConfig;
  rest: REST;
  settings: SettingsStore;
  tokens: InteractionTokens;
  download: DownloadPolicy;
  logger: Logger;
}
