import type { DiscordConfig } from "../../config/types.js";
import type { Platform } from "../platform.js";
import { DiscordRenderer } from "./renderer.js";
import { DiscordReplySchema } from "./reply-target.js";
import { countRateLimits, createRest } from "./rest.js";
import { InteractionTokens } from "./token-store.js";

/**
 * Discord: slash commands, "Edit image", buttons and replies in the bot process (`gateway.ts`, imported only
 * there: discord.js is most of a worker's memory otherwise); REST-only renderers in every worker.
 */
export function discordPlatform(config: DiscordConfig): Platform {
  const rest = countRateLimits(createRest(config));
  return {
    name: "discord",
    registerRenderers(registry, context) {
      const tokens = new InteractionTokens(context.redis, context.config.queuePrefix);
      registry.register("discord", (spec, job) => {
        const logger = context.logger.child({ jobId: job.id, platform: "discord" });
        const reply = DiscordReplySchema.parse(spec.reply);
        const studio = context.editRegion !== undefined;
        return new DiscordRenderer(rest, reply, spec, { ...context, tokens, logger, studio });
      });
    },
    async start(context) {
      const { startGateway } = await import("./gateway.js");
      return startGateway(config, rest, context);
    },
  };
}
