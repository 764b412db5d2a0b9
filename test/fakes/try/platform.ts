import type { CommandLine } from "./command-line.js";

/**
 * What the try-out console and its web page need of a fake platform: the messages of its channel as a person
 * sees them, and the person's moves. One adapter per fake (discord-platform.ts, slack-platform.ts).
 */

/** Something to press under a message: a button, or an option of a select. */
export interface Pressable {
  label: string;
  press(): Promise<void>;
}

/** One version of a message as the person saw it. */
export interface ShownVersion {
  text: string;
  /** The labels of what can be pressed, in order. */
  buttons: string[];
  /** The file names the version shows. */
  files: string[];
}

export interface ShownImage {
  /** Unique for the platform (an attachment or file id): the console saves each image once. */
  id: string;
  name: string;
  bytes(): Promise<Buffer>;
}

export interface ShownMessage {
  /** Unique for the platform (Discord's message id, Slack's `channel/ts`). */
  id: string;
  /** The bot, or the person (whose own messages the web page draws, the console does not echo). */
  byBot: boolean;
  author: string;
  /** `#general`, a thread's name. */
  where: string;
  /** Only the person sees it (an ephemeral answer). */
  onlyYou: boolean;
  deleted: boolean;
  /** Every version, oldest first; the last is what is shown now. */
  versions: ShownVersion[];
  images: ShownImage[];
  pressables: Pressable[];
}

export interface TryPlatform {
  readonly name: "Discord" | "Slack";
  /** Where the person starts: the channel. */
  readonly home: Place;
  /** Resolves once the bot is connected to the fake (or rejects when it stopped before). */
  ready(): Promise<void>;
  /** Every message of the channel and its threads, in order of posting. */
  messages(): ShownMessage[];
  /** Sends a parsed `/command …`; resolves with a sentence when the platform itself would not send it. */
  command(line: CommandLine, where: Place): Promise<string | undefined>;
  /**
   * A message command of commands/ (`kind: "message"`) on `target`: Discord's Apps menu, Slack's message
   * shortcut; resolves with a sentence when there is none of that name.
   */
  messageCommand(name: string, target: ShownMessage): Promise<string | undefined>;
  /** The person's message: in `where`, mentioning the bot, with files, as a reply to `replyTo`. */
  say(input: { text: string; files: LocalFile[]; where: Place; replyTo?: ShownMessage }): Promise<void>;
  /** The newest thread the bot opened or answered in, if any. */
  lastThread(): Place | undefined;
  /** Forms the bot opened (Discord modals) and not yet answered: submitted with the person's text. */
  openForm(): { title: string; submit(text: string): Promise<void> } | undefined;
  close(): Promise<void>;
}

/** Where the person types: the channel, or a thread of it. */
export interface Place {
  id: string;
  name: string;
  /** The message a thread hangs from (Slack replies carry it). */
  parent?: string;
}

export interface LocalFile {
  name: string;
  bytes: Buffer;
  contentType: string;
}
