import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedRequest } from "../fakes/discord/fake.js";
import { waitFor } from "../helpers/wait-for.js";
import { botReplyTo, type DiscordBot, startDiscordBot } from "./harness.js";

/** Every kind of mention a prompt can hold: everyone, here, a role, a person. */
const PINGS = "@everyone @here <@&123456789012345678> <@234567890123456789>";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-mentions");
});
afterAll(() => bot.close());

/** The requests that can post or change a message: interaction callbacks, webhook and channel messages. */
const MESSAGE_ROUTE =
  /^\/api\/v10\/(interactions\/\d+\/[^/]+\/callback|webhooks\/\d+\/[^/]+(\/messages\/.+)?|channels\/\d+\/messages(\/\d+)?)$/;

/** The message a request carries, if any: a callback's `data`, else the body (JSON or multipart payload_json). */
function messageOf(request: RecordedRequest): Record<string, unknown> | undefined {
  if (!["POST", "PATCH"].includes(request.method) || !MESSAGE_ROUTE.test(request.path)) return undefined;
  const body = request.json as Record<string, unknown> | undefined;
  const message = request.path.endsWith("/callback") ? (body?.data as Record<string, unknown>) : body;
  const shown = ["content", "embeds", "components"].some((field) => message?.[field] !== undefined);
  return shown ? message : undefined;
}

const sent = () =>
  bot.discord.requests.flatMap((request) => {
    const message = messageOf(request);
    return message ? [{ request, message }] : [];
  });

describe("nothing the bot sends pings anyone", () => {
  it("a job, its result, error replies and button answers all carry allowed_mentions.parse = []", async () => {
    // A job through an interaction: the deferred reply, the status, partial and final edits (multipart).
    const result = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: `${PINGS} hi`, partials: 1 }),
    );
    expect(result.content).toContain("@everyone");
    // A refusal answered to the interaction.
    const refused = await bot.discord.slash("imagine", { prompt: `${PINGS} bad size`, size: "7x7" });
    await waitFor("the refusal", () => refused.callbackType);
    // A job asked for by a message: the bot's own reply, edited with the bot token.
    const ask = await bot.discord.say({ content: `${PINGS} make it blue`, replyTo: result, mention: true });
    await botReplyTo(bot, ask);
    // A refusal answered to a message, in public.
    const wrongFile = await bot.discord.say({
      content: `${PINGS} use this`,
      replyTo: result,
      mention: true,
      files: [{ filename: "notes.txt", bytes: Buffer.from("a kite"), contentType: "text/plain" }],
    });
    await botReplyTo(bot, wrongFile);
    // Button answers: Details privately, a refused Delete, Re-roll's new reply.
    const jobId = /job `([^`]+)`/.exec(result.content)?.[1] ?? "";
    const details = await bot.discord.click(result, `details:${jobId}`);
    const deleteRefused = await bot.discord.click(result, `delete:${jobId}`, bot.discord.otherUser);
    await waitFor("the button answers", () => details.callbackType && deleteRefused.callbackType);
    await bot.finalReply(await bot.discord.click(result, `reroll:${jobId}`));
    await bot.idle();

    const messages = sent();
    for (const { request, message } of messages) {
      expect({ path: request.path, allowed_mentions: message.allowed_mentions }).toEqual({
        path: request.path,
        allowed_mentions: { parse: [] },
      });
    }
    // Every route was seen, so the check above covered each of them.
    const paths = messages.map(({ request }) => `${request.method} ${request.path}`);
    expect(paths.some((path) => /^POST .*\/callback$/.test(path))).toBe(true);
    expect(paths.some((path) => /^PATCH .*\/webhooks\/.*(@|%40)original$/.test(path))).toBe(true);
    expect(paths.some((path) => /^POST .*\/channels\/\d+\/messages$/.test(path))).toBe(true);
    expect(paths.some((path) => /^PATCH .*\/channels\/\d+\/messages\/\d+$/.test(path))).toBe(true);
    expect(messages.some(({ request }) => request.files.length > 0)).toBe(true);
    expect(messages.some(({ message }) => String(message.content).includes(`${PINGS} hi`))).toBe(true);
  });
});
