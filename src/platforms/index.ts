import type { Config } from "../config/types.js";
import type { Platform } from "./platform.js";

/**
 * The platforms this configuration enables (a token set means the platform is on). Each platform's SDK is
 * imported only when it is configured: an SDK that is never used must not load, patch globals or cost memory.
 */
export async function configuredPlatforms(config: Config): Promise<Platform[]> {
  const platforms: Platform[] = [];
  if (config.discord) {
    const { discordPlatform } = await import("./discord/index.js");
    platforms.push(discordPlatform(config.discord));
  }
  if (config.slack) {
    const { slackPlatform } = await import("./slack/index.js");
    platforms.push(slackPlatform(config.slack));
  }
  if (config.web) {
    const { webPlatform } = await import("./web/index.js");
    platforms.push(webPlatform(config.web));
  }
  return platforms;
}
