import { Events, type REST, RESTEvents } from "discord.js";
import type { DiscordConfig } from "../../config.js";
import { metrics } from "../../observability/metrics.js";
import type { Platform } from "../platform.js";
import { connect, createClient } from "./client.js";
import type { DiscordContext } from "./context.js";
import { DEFAULT_DOWNLOAD_POLICY } from "./download.js";
import { onInteraction } from "./interactions/router.js";
import { onMessage } from "./messages.js";
import { DiscordRenderer } from "./renderer.js";
import { DiscordReplySchema } from "./reply-target.js";
import { createRest } from "./rest.js";
import { SettingsStore } from "./settings-store.js";
import { InteractionTokens } from "./token-store.js";

/** Discord: slash commands, "Edit image", buttons and replies in the bot process; REST-only renderers. */
export function discordPlatform(config: DiscordConfig): Platform {
  const rest = countRateLimits(createRest(config));
  return {
    name: "discord",
    registerRenderers(registry, context) {
      const tokens = new InteractionTokens(context.redis, context.config.queuePrefix);
      registry.register("discord", (spec, job) => {
        const logger = context.logger.child({ jobId: job.id, platform: "discord" });
        const reply = DiscordReplySchema.parse(spec.reply);
        return new DiscordRenderer(rest, reply, spec, { ...context, tokens, logger });
      });
    },
    async start(context) {
      const logger = context.logger.child({ platform: "discord" });
      const ctx: DiscordContext = {
        process: context,
        config,
        rest,
        settings: new SettingsStore(context.redis, context.config.queuePrefix),
        tokens: new InteractionTokens(context.redis, context.config.queuePrefix),
        download: {
          ...DEFAULT_DOWNLOAD_POLICY,
          extraOrigins: config.apiUrl ? [new URL(config.apiUrl).origin] : [],
        },
        logger,
      };
      const client = createClient(config);
      countRateLimits(client.rest);
      client.on(Events.InteractionCreate, (interaction) => void onInteraction(ctx, interaction));
      client.on(Events.MessageCreate, (message) => void onMessage(ctx, message));
      client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));
      await connect(client, config);
      logger.info({ user: client.user?.id }, "discord gateway ready");
      return {
        async stop() {
          await client.destroy();
        },
        async ready() {
          if (!client.isReady()) throw new Error("not connected to the Discord gateway");
        },
      };
    },
  };
}

/** Every 429 Discord answers (@discordjs/rest waits it out) is counted for `/metrics`. */
function countRateLimits(rest: REST): REST {
  return rest.on(RESTEvents.RateLimited, () => metrics.platformRateLimited.inc({ platform: "discord" }));
}
