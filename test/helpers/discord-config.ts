import { OPEN_ACCESS } from "../../src/access/access-list.js";
import type { DiscordConfig } from "../../src/config/types.js";

/**
 * The bot's Discord settings against a fake Discord, as config/load.ts makes them with only the token and API
 * URL set: open access, user installs allowed, one shard. `overrides` changes what a test is about.
 */
export function testDiscordConfig(
  fake: { token: string; url: string },
  overrides: Partial<DiscordConfig> = {},
): DiscordConfig {
  return {
    token: fake.token,
    applicationId: undefined,
    guildId: undefined,
    messageContent: false,
    apiUrl: fake.url,
    access: OPEN_ACCESS,
    adminRoleIds: [],
    allowUserInstall: true,
    shards: { count: 1, ids: undefined },
    ...overrides,
  };
}
