import type { Config } from "../config.js";
import { discordPlatform } from "./discord/index.js";
import type { Platform } from "./platform.js";
import { slackPlatform } from "./slack/index.js";

/** The platforms this configuration enables (a token set means the platform is on). */
export function configuredPlatforms(config: Config): Platform[] {
  const platforms: Platform[] = [];
  // Each platform adds itself here, e.g. `if (config.discord) platforms.push(discordPlatform(config.discord));`
  if (config.discord) platforms.push(discordPlatform(config.discord));
  if (config.slack) platforms.push(slackPlatform(config.slack));
  void config;
  return platforms;
}
