import { createRequire } from "node:module";
import { REST, RESTEvents, type RESTOptions } from "@discordjs/rest";
import type { DiscordConfig } from "../../config/types.js";
import { metrics } from "../../metrics.js";

type Agent = NonNullable<RESTOptions["agent"]>;

let agent: Agent | undefined;

/**
 * The HTTP agent of every Discord REST call, from the very undici package instance `@discordjs/rest` builds
 * its multipart bodies with. Without it, @discordjs/rest sends through undici's *global* dispatcher, which
 * any other copy of undici in the process replaces when it loads (Bolt's Socket Mode and openai bring
 * undici 8); that dispatcher then refuses the FormData of every upload ("body must be a FormData created by
 * this undici package instance") and no image ever reaches Discord. Resolved through the `@discordjs/rest`
 * this module imports, which is also discord.js's own (one copy: a test holds npm to it).
 */
export function discordAgent(): Agent {
  if (agent === undefined) {
    const fromRest = createRequire(createRequire(import.meta.url).resolve("@discordjs/rest"));
    const undici = fromRest("undici") as { Agent: new () => Agent };
    agent = new undici.Agent();
  }
  return agent;
}

/** REST options for the gateway client's REST and the renderers': the fake's URL in tests, our own agent. */
export function restOptions(config: DiscordConfig): Partial<RESTOptions> {
  return { agent: discordAgent(), ...(config.apiUrl ? { api: config.apiUrl } : {}) };
}

/** One REST client per process: @discordjs/rest queues per route bucket, so all jobs share the limits. */
export function createRest(config: DiscordConfig): REST {
  return new REST(restOptions(config)).setToken(config.token);
}

/** Every 429 Discord answers (@discordjs/rest waits it out) is counted for `/metrics`: the renderers' REST and the gateway client's. */
export function countRateLimits(rest: REST): REST {
  return rest.on(RESTEvents.RateLimited, () => metrics.platformRateLimited.inc({ platform: "discord" }));
}
