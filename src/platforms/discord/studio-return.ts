import { DiscordAPIError } from "@discordjs/rest";
import { ButtonStyle, ComponentType, MessageFlags, Routes } from "discord.js";
import type { StudioReturnPort } from "../../actions/action.js";
import type { ChatReturn } from "../../intake/chat-return.js";
import type { IntakePort } from "../../intake/intake-port.js";
import { submitRequest } from "../../intake/submit-request.js";
import type { ReturnPlace } from "../../links/edit-region-link.js";
import type { RunMetadata } from "../../storage/run-store.js";
import { cancelButtons } from "./buttons.js";
import type { DiscordContext } from "./context.js";
import type { JobInteraction } from "./intake.js";
import { NO_MENTIONS } from "./mentions.js";
import { DiscordReplySchema } from "./reply-target.js";
import { progressContent, queuedStage } from "./result-message.js";
import { openRefinementThread, threadAddress } from "./threads.js";

/** Discord refuses a link button's URL past 512 characters: a longer one goes in the text instead. */
const MAX_LINK_BUTTON_URL = 512;

/** The result's message, and its thread when it sits in one; none where only a webhook reaches it. */
export function discordReturnPlace(metadata: RunMetadata): ReturnPlace | undefined {
  const reply = DiscordReplySchema.safeParse(metadata.origin.reply);
  if (!reply.success || reply.data.webhookOnly) return undefined;
  const { channelId, messageId, inThread } = reply.data;
  return {
    platform: "discord",
    channel: channelId,
    message: messageId,
    ...(inThread ? { thread: channelId } : {}),
  };
}

/** Only the presser sees it: the text and a link button (Discord opens it after asking "leave Discord?"). */
async function answerWithLink(
  interaction: JobInteraction,
  text: string,
  link: { label: string; url: string },
): Promise<void> {
  const fits = link.url.length <= MAX_LINK_BUTTON_URL;
  const button = { type: ComponentType.Button, style: ButtonStyle.Link, label: link.label, url: link.url };
  const payload = {
    content: fits ? text : `${text}\n${link.url}`,
    components: fits ? [{ type: ComponentType.ActionRow, components: [button] }] : [],
    flags: MessageFlags.Ephemeral,
  } as const;
  if (interaction.deferred || interaction.replied) await interaction.followUp(payload);
  else await interaction.reply(payload);
}

export const discordStudioReturn = (interaction: JobInteraction): StudioReturnPort => ({
  place: discordReturnPlace,
  answerWithLink: (text, link) => answerWithLink(interaction, text, link),
});

/** Where the status goes: a channel (maybe a thread), the message it answers there, and how the page names it. */
interface StatusPlace {
  channel: string;
  reference?: string;
  inThread: boolean;
  postedTo: string;
}

/**
 * The result's thread when it sits in one; else, in a server, the refinement thread on its message (opened now
 * if need be, as Refine opens it); else (a DM, or a thread Discord will not open) the channel, answering it.
 */
async function statusPlace(ctx: DiscordContext, place: ReturnPlace, runId: string): Promise<StatusPlace> {
  if (place.thread)
    return {
      channel: place.thread,
      reference: place.message,
      inThread: true,
      postedTo: "your Discord thread",
    };
  const inChannel = {
    channel: place.channel,
    reference: place.message,
    inThread: false,
    postedTo: "your Discord channel, under the image",
  };
  try {
    const thread = await openRefinementThread(ctx, { id: place.message, channelId: place.channel }, runId);
    return { channel: thread, inThread: true, postedTo: "the Discord thread on your image" };
  } catch (error) {
    // A DM has no threads; a channel may forbid them: the answer still reaches the person where the image is.
    if (!(error instanceof DiscordAPIError)) throw error;
    ctx.logger.info(
      { err: error, message: place.message },
      "no thread on the result: answering in its channel",
    );
    return inChannel;
  }
}

/**
 * Discord's way back from the studio: the status is the bot's own message in the result's thread (or the thread
 * opened on it), edited by the worker with the bot token as any thread turn; it goes if nothing was queued.
 */
export function discordChatReturn(ctx: DiscordContext, applicationId: string): ChatReturn {
  return {
    async submit(link, intake) {
      const { place } = link;
      const guildId = intake.user.workspace;
      // The refinement thread's id is its message's: known before it is opened, so the run belongs to it. The
      // result is no turn of it: the edit starts its chain afresh, as the thread's first turn would.
      const thread =
        intake.thread ??
        (guildId !== undefined && place.thread === undefined
          ? { ...threadAddress(guildId, place.message), fromRoot: true as const }
          : undefined);
      let posted: { channel: string; id: string } | undefined;
      let postedTo = "";
      const port: IntakePort = {
        replyKind: "discord",
        async postStatus({ request, position, runId }) {
          const where =
            guildId === undefined
              ? {
                  channel: place.channel,
                  reference: place.message,
                  inThread: false,
                  postedTo: "your Discord conversation with the bot",
                }
              : await statusPlace(ctx, place, link.runId);
          const body = {
            content: progressContent(request.model, queuedStage(position), ""),
            components: cancelButtons(runId),
            ...(where.reference
              ? { message_reference: { message_id: where.reference, fail_if_not_exists: false } }
              : {}),
            allowed_mentions: NO_MENTIONS,
          };
          const { id } = (await ctx.rest.post(Routes.channelMessages(where.channel), { body })) as {
            id: string;
          };
          posted = { channel: where.channel, id };
          postedTo = where.postedTo;
          return {
            reply: {
              kind: "discord",
              applicationId,
              channelId: where.channel,
              messageId: id,
              ...(guildId ? { guildId } : {}),
              inThread: where.inThread,
            },
          };
        },
        async withdraw() {
          if (posted)
            await ctx.rest.delete(Routes.channelMessage(posted.channel, posted.id)).catch(() => undefined);
        },
      };
      const { runId } = await submitRequest(ctx.process, { ...intake, ...(thread ? { thread } : {}) }, port);
      return { runId, postedTo };
    },
  };
}
