import type { ErrorGroup } from "./entry.js";

/** The Slack adapter (src/platforms/slack): hosts, files, typed flags, the Edit image shortcut, channels. */
export const SLACK_ERRORS = {
  // The result's edit of the status message failed past every retry, after its files were shared in the thread.
  slack_result_in_thread: {
    kind: "unavailable",
    sentence: ({ images, runId, inThread }: { images: number; runId: string; inThread: boolean }) => {
      const [made, it] = images === 1 ? ["image was", "it is"] : [`${images} images were`, "they are"];
      const where = inThread ? "in this thread" : "in the thread under this message";
      return `Your ${made} made but Slack would not show the result in this message; ${it} ${where} (run \`${runId}\`).`;
    },
  },
  slack_foreign_host: {
    kind: "unavailable",
    sentence: ({ what, host }: { what: string; host: string }) =>
      `Slack gave a ${what} on ${host}, which is not one of Slack's hosts; the bot refused to send its token there.`,
  },
  slack_file_unreadable: {
    kind: "invalid_input",
    sentence: ({ file }: { file: string }) =>
      `The bot could not read ${file}; make sure it was shared in a channel the bot is in.`,
  },
  // `command`: typed after the slash command; `mention`: typed in a message that mentions the bot.
  slack_flag_needs_file: {
    kind: "invalid_input",
    sentence: ({ flag, typed }: { flag: string; typed: "command" | "mention" }) =>
      typed === "command"
        ? `--${flag} cannot be typed in Slack: attach the image to a message that mentions me, or use the Edit image shortcut on it.`
        : `--${flag} cannot be typed; attach the image to your message instead.`,
  },
  // A mention is answered where it was made (its thread continues there); only the command can go to the DM.
  slack_private_mention: {
    kind: "invalid_input",
    sentence:
      "A mention is answered where you wrote it; for an image only you see, use `/imagine <prompt> --private true`.",
  },
  // `--private true` while the access lists leave out the person's DM with the app, where its buttons would be.
  slack_private_not_enabled: {
    kind: "invalid_input",
    sentence:
      "A private result goes to your direct messages with me, where imagine isn't enabled here; leave out --private.",
  },
  no_image_to_edit: { kind: "invalid_input", sentence: "That message has no image I can edit." },
  // Slack's `not_in_channel` and `channel_not_found`: the bot was never invited where it was asked to post.
  slack_not_in_channel: {
    kind: "invalid_input",
    sentence: "I cannot post in this channel; invite me first (/invite @imagine).",
  },
} as const satisfies ErrorGroup;
