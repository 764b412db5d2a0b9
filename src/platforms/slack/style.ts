import { userError } from "../../core/errors.js";
import { styleSummary } from "../../core/thread-style.js";
import { refuseNonImageFiles } from "../../media/check-inputs.js";
import { checkStyleSentence, pinStyle, unpinStyle } from "../../style/pin-style.js";
import { isBotThread, type SlackAsk } from "./conversation.js";
import { imageFiles, type SlackDeps, slackThread } from "./deps.js";
import { downloadPrivate } from "./files.js";
import { slackStylePlace } from "./style-place.js";

/** What a `style …` message asks: to unpin (`style clear`), or to pin its sentence and attached images. */
export type StyleAsk = { clear: true } | { clear: false; sentence: string };

/**
 * `style <sentence>` or `style clear`, as a message to the bot inside a thread (a mention, or a plain reply in
 * a bot thread). Outside a thread `style …` stays a prompt: Slack sends no thread with a slash command, and a
 * top-level message starts one.
 */
export function asksForStyle(ask: Pick<SlackAsk, "text" | "threadTs">): StyleAsk | undefined {
  if (ask.threadTs === undefined) return undefined;
  const match = /^style(?:\s+([\s\S]*))?$/i.exec(ask.text.trim());
  if (match === null) return undefined;
  const words = (match[1] ?? "").trim();
  return words.toLowerCase() === "clear" ? { clear: true } : { clear: false, sentence: words };
}

const NOT_BOT_THREAD = "mention me with `style` and a sentence inside the thread of one of my results";

/**
 * Pins the sentence and the message's images to its thread (checked like an edit's inputs, fetched from
 * Slack's hosts only), or unpins; answered privately in the thread, the thread's first message updated.
 */
export async function styleSlackThread(deps: SlackDeps, ask: SlackAsk, wanted: StyleAsk): Promise<void> {
  const threadTs = ask.threadTs;
  if (threadTs === undefined || !(await isBotThread(deps, ask.team, ask.channel, threadTs))) {
    throw userError("style_needs_thread", { how: NOT_BOT_THREAD });
  }
  const privately = (text: string) =>
    deps.client.chat.postEphemeral({ channel: ask.channel, user: ask.user, text, thread_ts: threadTs });
  const address = slackThread(ask.team, ask.channel, threadTs);
  const place = slackStylePlace(deps);
  const styleDeps = { runs: deps.context.runs, styles: deps.context.styles };
  if (wanted.clear) {
    const cleared = await unpinStyle(styleDeps, address);
    if (cleared !== undefined) await place.showPinned(address, undefined);
    await privately(
      cleared ? "Unpinned this thread's style: later turns here use none." : "Nothing is pinned here.",
    );
    return;
  }
  const sentence = checkStyleSentence(wanted.sentence);
  refuseNonImageFiles(
    ask.files.map((file) => ({ name: file.name ?? file.id ?? "file", contentType: file.mimetype })),
  );
  const style = await pinStyle(styleDeps, address, {
    sentence,
    images: imageFiles(ask.files).map((file) => {
      const name = file.name ?? file.id ?? "image";
      return {
        name,
        read: async () => ({
          name,
          bytes: await downloadPrivate(file.url_private ?? "", deps.token, deps.options, {
            name,
            declaredBytes: file.size,
          }),
        }),
      };
    }),
  });
  await place.showPinned(address, style);
  await privately(`Pinned to this thread; every later turn here uses it. ${styleSummary(style)}`);
}
