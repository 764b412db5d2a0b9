import { Client, Events, GatewayIntentBits, Partials } from "discord.js";
import type { DiscordConfig } from "../../config/types.js";
import { errorMessage } from "../../core/errors.js";
import { NO_MENTIONS } from "./mentions.js";
import { restOptions } from "./rest.js";

/**
 * Guilds (interactions, threads) and guild messages (replies that mention the bot, thread turns);
 * MESSAGE_CONTENT only when the operator says it is enabled in the developer portal. Nothing the client sends
 * pings anyone (`NO_MENTIONS`).
 */
export function createClient(config: DiscordConfig): Client {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
  if (config.messageContent) intents.push(GatewayIntentBits.MessageContent);
  return new Client({
    intents,
    partials: [Partials.Channel, Partials.Message],
    allowedMentions: NO_MENTIONS,
    rest: restOptions(config),
  });
}

/** Turns gateway refusals into sentences that name the setting to fix. */
function explain(error: unknown, config: DiscordConfig): Error {
  const text = errorMessage(error);
  if (/disallowed intents|4014/i.test(text)) {
    return new Error(
      config.messageContent
        ? "Discord refused the MESSAGE_CONTENT intent: enable Message Content Intent (Bot tab of the developer portal) or set DISCORD_MESSAGE_CONTENT=false."
        : `Discord refused the gateway intents: ${text}`,
    );
  }
  if (/token|4004|401/i.test(text)) {
    return new Error(
      "Discord refused DISCORD_TOKEN: copy the bot token again from the developer portal (Bot tab).",
    );
  }
  return new Error(`Discord connection failed: ${text}`);
}

/** Logs in and waits for READY; rejects with a clear message on a bad token or a refused intent. */
export async function connect(client: Client, config: DiscordConfig, timeoutMs = 30_000): Promise<void> {
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("Discord gateway did not become ready in time")),
      timeoutMs,
    );
    client.once(Events.ClientReady, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  try {
    await client.login(config.token);
    await ready;
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw explain(error, config);
  }
}
