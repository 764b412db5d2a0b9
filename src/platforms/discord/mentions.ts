/**
 * What a message from the bot may ping: nobody. Replies echo prompts, error messages and model text, so a
 * prompt of "@everyone a cat" (or `<@id>`, `<@&role>`) would otherwise ping the whole server. Discord applies
 * it per request, to new messages and edits alike; the person a reply answers is not pinged either.
 *
 * Every message discord.js sends (interaction replies, edits, follow-ups, updates) gets it from the client's
 * `allowedMentions` option (`client.ts`); the raw REST bodies (the renderer's edits through the webhook or the
 * bot token, replies to messages) carry it as `allowed_mentions` themselves.
 */
export const NO_MENTIONS = { parse: [] } as const satisfies { parse: readonly string[] };
