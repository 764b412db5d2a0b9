import type { types } from "@slack/bolt";
import type { StylePlace } from "../../actions/action.js";
import { userError } from "../../core/errors.js";
import { styleSummary, type ThreadStyle } from "../../core/thread-style.js";
import type { ThreadAddress } from "../../stores/threads.js";
import type { SlackDeps } from "./deps.js";

/** The block that says what is pinned, found again by its id to be replaced or removed. */
const STYLE_BLOCK = "imagine_style";
/** Slack's most blocks in a message. */
const MAX_BLOCKS = 50;

/** Slack reads `&`, `<` and `>` in mrkdwn as markup: a sentence is shown as typed. */
const escaped = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Display fields Slack adds to the image blocks it returns (a fallback text, the image's sizes): no fields of an
 * image block as Block Kit documents it, so they are not sent back.
 */
const SHOWN_ONLY = new Set(["fallback", "image_width", "image_height", "image_bytes", "is_animated"]);

/** A block as read back, ready to be sent again. */
function sendable(block: types.KnownBlock): types.KnownBlock {
  if (block.type !== "image") return block;
  return Object.fromEntries(
    Object.entries(block).filter(([key]) => !SHOWN_ONLY.has(key)),
  ) as types.KnownBlock;
}

/** A message's blocks with its style line replaced by what is pinned now, or removed when nothing is. */
export function withStyleBlock(
  blocks: readonly types.KnownBlock[],
  style: ThreadStyle | undefined,
): types.KnownBlock[] {
  const kept = blocks.filter((block) => block.block_id !== STYLE_BLOCK).map(sendable);
  if (style === undefined || kept.length >= MAX_BLOCKS) return kept;
  const line: types.ContextBlock = {
    type: "context",
    block_id: STYLE_BLOCK,
    elements: [{ type: "mrkdwn", text: escaped(styleSummary(style)) }],
  };
  return [...kept, line];
}

interface ThreadMessage {
  ts?: string;
  bot_id?: string;
  text?: string;
  blocks?: types.KnownBlock[];
}

/** `C123:1700000000.000100` → its channel and root ts. */
function threadParts(address: ThreadAddress): { channel: string; rootTs: string } {
  const at = address.thread.indexOf(":");
  return { channel: address.thread.slice(0, at), rootTs: address.thread.slice(at + 1) };
}

/**
 * The thread's first message the bot can edit, to say what is pinned: the root when it is the bot's (a result
 * posted in the channel), else the bot's first message with blocks in the thread (the first result under a
 * person's message, which the bot cannot edit). Its other blocks, images and buttons are sent back as they are.
 */
async function showPinnedOn(deps: SlackDeps, address: ThreadAddress, style: ThreadStyle | undefined) {
  const { channel, rootTs } = threadParts(address);
  const { bot_id: ours } = await deps.client.auth.test();
  const replies = await deps.client.conversations.replies({ channel, ts: rootTs, inclusive: true });
  const messages = (replies.messages ?? []) as ThreadMessage[];
  const first = messages.find((message) => message.bot_id === ours && (message.blocks?.length ?? 0) > 0);
  if (first?.ts === undefined || first.blocks === undefined) return;
  await deps.client.chat.update({
    channel,
    ts: first.ts,
    text: first.text ?? "",
    blocks: withStyleBlock(first.blocks, style),
  });
}

/** Slack's side of a style: every run belongs to a thread (its status message's), whose first message says it. */
export function slackStylePlace(deps: SlackDeps): StylePlace {
  return {
    async thread(metadata) {
      const { thread } = metadata.origin;
      if (thread?.platform !== "slack") {
        throw userError("style_needs_thread", { how: "press Pin style on a result in its thread" });
      }
      return { platform: thread.platform, workspace: thread.workspace, thread: thread.thread };
    },
    async showPinned(address, style) {
      // The pin holds whatever happens to the message: it may be gone.
      await showPinnedOn(deps, address, style).catch((error: unknown) =>
        deps.context.logger.warn(
          { err: error, thread: address.thread },
          "thread's first message not updated",
        ),
      );
    },
    name: () => "this thread",
  };
}
