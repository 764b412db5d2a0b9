import { type FakeMessage, type FakeSlackState, type FakeStream, findMessage, nextTs } from "./state.js";

/**
 * Slack's text streaming (`chat.startStream`, `chat.appendStream`, `chat.stopStream`) as its method pages state:
 * a streamed message is a thread reply, text is appended only while it streams (`message_not_in_streaming_state`
 * after the stop), a stream started with `markdown_text` goes on with it and one started with `chunks` with
 * chunks (`streaming_mode_mismatch`), both at once is refused, each text is at most 12,000 characters, and in a
 * channel (not a DM) the recipient's team and user are required. `state.streamingRefused` plays a workspace
 * without these methods: `unknown_method`, as Slack answers a method it does not have.
 */

type Args = Record<string, unknown>;
type Result = Record<string, unknown>;
/** Slack's `ok: false` answer. */
type Refusal = { ok: false; error: string } & Args;
/** The text a call carries, and how (`undefined`: it carries none). */
interface Piece {
  mode?: FakeStream["mode"];
  text: string;
}

const MARKDOWN_MAX = 12_000;
const CHUNK_TYPES = new Set(["markdown_text", "blocks", "plan_update", "task_update"]);

const fail = (error: string, extra: Args = {}): Refusal => ({ ...extra, ok: false, error });
const text = (value: unknown): string => (typeof value === "string" ? value : "");
const invalid = (message: string): Refusal =>
  fail("invalid_arguments", { response_metadata: { messages: [`[ERROR] ${message}`] } });

/** The text a call carries, how it carries it, or Slack's refusal. */
function appended(args: Args, required: boolean): Piece | Refusal {
  const hasMarkdown = args.markdown_text !== undefined;
  const hasChunks = args.chunks !== undefined;
  if (hasMarkdown && hasChunks) return fail("cannot_provide_both_markdown_text_and_chunks");
  if (hasMarkdown) {
    const markdown = text(args.markdown_text);
    if (markdown.length > MARKDOWN_MAX)
      return invalid(`must be at most ${MARKDOWN_MAX} characters [json-pointer:/markdown_text]`);
    if (required && markdown === "") return fail("no_text");
    return { mode: "markdown_text", text: markdown };
  }
  if (hasChunks) {
    if (!Array.isArray(args.chunks)) return fail("invalid_chunks");
    let joined = "";
    for (const chunk of args.chunks as { type?: unknown; text?: unknown }[]) {
      if (!CHUNK_TYPES.has(String(chunk?.type))) return fail("invalid_chunks");
      if (chunk.type !== "markdown_text") continue;
      if (typeof chunk.text !== "string" || chunk.text.length > MARKDOWN_MAX) return fail("invalid_chunks");
      joined += chunk.text;
    }
    if (required && args.chunks.length === 0) return fail("no_text");
    return { mode: "chunks", text: joined };
  }
  return required ? fail("no_text") : { text: "" };
}

const isFailure = (value: object): value is Refusal => "ok" in value;

function streamed(state: FakeSlackState, args: Args): FakeMessage | Refusal {
  if (!text(args.channel)) return fail("channel_not_found");
  const message = findMessage(state, text(args.channel), text(args.ts));
  if (!message) return fail("message_not_found");
  if (message.bot_id === undefined) return fail("message_not_owned_by_app");
  if (message.stream?.state !== "streaming") return fail("message_not_in_streaming_state");
  return message;
}

function add(message: FakeMessage, stream: FakeStream, piece: Piece) {
  if (piece.text === "") return;
  stream.appends.push(piece.text);
  message.text += piece.text;
  message.history.push({ text: message.text });
}

export const streamMethods: Record<string, (state: FakeSlackState, args: Args) => Result> = {
  "chat.startStream": (state, args) => {
    const channel = text(args.channel);
    if (!channel) return fail("channel_not_found");
    if (state.notIn.has(channel)) return fail("not_in_channel");
    if (!text(args.thread_ts)) return invalid("missing required field: thread_ts");
    // Outside a DM Slack must know whom the stream is for.
    if (!channel.startsWith("D")) {
      if (!text(args.recipient_team_id)) return fail("missing_recipient_team_id");
      if (!text(args.recipient_user_id)) return fail("missing_recipient_user_id");
    }
    const piece = appended(args, false);
    if (isFailure(piece)) return piece;
    const stream: FakeStream = {
      ...(piece.mode ? { mode: piece.mode } : {}),
      state: "streaming",
      appends: [],
    };
    const message: FakeMessage = {
      channel,
      ts: nextTs(state),
      thread_ts: text(args.thread_ts),
      bot_id: "B0FAKEBOT1",
      user: "U0FAKEBOT1",
      text: "",
      history: [],
      stream,
    };
    add(message, stream, piece);
    state.messages.push(message);
    return { ok: true, channel, ts: message.ts };
  },

  "chat.appendStream": (state, args) => {
    const message = streamed(state, args);
    if (isFailure(message)) return message;
    const piece = appended(args, true);
    if (isFailure(piece)) return piece;
    const stream = message.stream as FakeStream;
    // A stream started without text takes its mode from the first call that carries some.
    stream.mode ??= piece.mode;
    if (piece.mode !== stream.mode) return fail("streaming_mode_mismatch");
    add(message, stream, piece);
    return { ok: true, channel: message.channel, ts: message.ts };
  },

  "chat.stopStream": (state, args) => {
    const message = streamed(state, args);
    if (isFailure(message)) return message;
    const piece = appended(args, false);
    if (isFailure(piece)) return piece;
    const stream = message.stream as FakeStream;
    if (piece.text !== "") stream.mode ??= piece.mode;
    if (piece.text !== "" && piece.mode !== stream.mode) return fail("streaming_mode_mismatch");
    add(message, stream, piece);
    stream.state = "stopped";
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    return { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text } };
  },
};
