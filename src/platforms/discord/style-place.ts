import { type APIMessage, ComponentType, MessageFlags, Routes } from "discord.js";
import type { StylePlace } from "../../actions/action.js";
import { userError } from "../../core/errors.js";
import { styleSummary, type ThreadStyle } from "../../core/thread-style.js";
import { clip } from "../../render/clip.js";
import type { RunMetadata } from "../../storage/run-store.js";
import type { ThreadAddress } from "../../stores/threads.js";
import type { DiscordContext } from "./context.js";
import { NO_MENTIONS } from "./mentions.js";
import { DiscordReplySchema } from "./reply-target.js";
import { openRefinementThread, threadAddress } from "./threads.js";

/** Discord's message content limit. */
const MAX_CONTENT = 2000;
const STYLE_LINE = "-# 📌 Style:";

/** `text` with its style line replaced by what is pinned now, or removed when nothing is. */
export function withStyleLine(text: string, style: ThreadStyle | undefined): string {
  const kept = text
    .split("\n")
    .filter((line) => !line.startsWith(STYLE_LINE))
    .join("\n");
  if (style === undefined) return kept;
  const room = MAX_CONTENT - kept.length - 1;
  // A result whose text already fills the message keeps it whole; the line is cut to what is left.
  return room < STYLE_LINE.length + 8 ? kept : `${kept}\n${clip(`-# ${styleSummary(style)}`, room)}`;
}

interface ComponentJson {
  type: number;
  content?: string;
  components?: ComponentJson[];
}

/** The components with the first text display's style line updated (a gallery's text sits in its container). */
function withStyleText(components: ComponentJson[], style: ThreadStyle | undefined): ComponentJson[] {
  let done = false;
  const visit = (component: ComponentJson): ComponentJson => {
    if (done) return component;
    if (component.type === ComponentType.TextDisplay && component.content !== undefined) {
      done = true;
      return { ...component, content: withStyleLine(component.content, style) };
    }
    return component.components ? { ...component, components: component.components.map(visit) } : component;
  };
  return components.map(visit);
}

/**
 * Edits the message a bot thread hangs from (its id is the thread's, in the thread's parent channel) to say
 * what is pinned. Its images, buttons and everything else stay: only the text (classic content, or a gallery's
 * text display) changes, and Discord keeps what an edit leaves out.
 */
async function showPinnedOn(
  ctx: DiscordContext,
  threadId: string,
  style: ThreadStyle | undefined,
): Promise<void> {
  const thread = (await ctx.rest.get(Routes.channel(threadId))) as { parent_id?: string | null };
  if (!thread.parent_id) return;
  const route = Routes.channelMessage(thread.parent_id, threadId);
  const message = (await ctx.rest.get(route)) as APIMessage;
  const v2 = ((message.flags ?? 0) & MessageFlags.IsComponentsV2) !== 0;
  const body = v2
    ? { components: withStyleText((message.components ?? []) as ComponentJson[], style) }
    : { content: withStyleLine(message.content, style) };
  await ctx.rest.patch(route, { body: { ...body, allowed_mentions: NO_MENTIONS } });
}

/** Where the thread of a result is, or why none can hold a style. */
const NO_THREAD =
  "press Pin style on a result in a server channel or in a thread the bot runs, or use /style in such a thread";

/** Discord's side of a style: threads opened on results (Refine), each with the result as its first message. */
export function discordStylePlace(ctx: DiscordContext): StylePlace {
  return {
    async thread(metadata: RunMetadata, open: boolean): Promise<ThreadAddress> {
      const { thread } = metadata.origin;
      if (thread?.platform === "discord") return threadAddress(thread.workspace, thread.thread);
      const reply = DiscordReplySchema.safeParse(metadata.origin.reply);
      // A private reply or a DM takes no thread, and Discord has no thread in a thread.
      if (!reply.success || !reply.data.guildId || reply.data.webhookOnly || reply.data.inThread) {
        throw userError("style_needs_thread", { how: NO_THREAD });
      }
      const { guildId, channelId, messageId } = reply.data;
      if (open) await openRefinementThread(ctx, { id: messageId, channelId }, metadata.runId);
      return threadAddress(guildId, messageId);
    },
    async showPinned(address, style) {
      // The pin holds whatever happens to the message: it may be gone, or not the bot's to edit.
      await showPinnedOn(ctx, address.thread, style).catch((error: unknown) =>
        ctx.logger.warn({ err: error, thread: address.thread }, "thread's first message not updated"),
      );
    },
    name: (address) => `<#${address.thread}>`,
  };
}
