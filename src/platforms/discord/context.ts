import type { REST } from "discord.js";
import { operatorDefaults } from "../../config/load.js";
import type { DiscordConfig } from "../../config/types.js";
import type { RequestDefaults } from "../../core/validate-request.js";
import type { AcksFirst } from "../../intake/acks-first.js";
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
  /** Every interaction's deferral before any interaction's intake work (`intake/acks-first.ts`). */
  acks: AcksFirst;
  logger: Logger;
}

/** A person's request defaults: their saved `/settings` over the operator's. */
export function personDefaults(ctx: DiscordContext, userId: string): Promise<RequestDefaults> {
  return ctx.settings.defaults(userId, operatorDefaults(ctx.process.config.openai));
}
