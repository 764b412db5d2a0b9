import type { Config } from "../config.js";
import type { Platform } from "./platform.js";

/** The platforms this configuration enables (a token set means the platform is on). */
export function configuredPlatforms(config: Config): Platform[] {
  const platforms: Platform[] = [];
  // Each platform adds itself here, e.g. `if (config.discord) platforms.push(discordPlatform(config.discord));`
  void config;
  return platforms;
}
