import type { FakeOpenId } from "./openid.js";

/** What the fake Slack remembers: messages, files, views, ephemerals, recorded requests. */

export interface RecordedSlackRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** JSON body, or a form body with JSON-looking values (`blocks`, `files`) decoded. */
  json?: unknown;
  /** Raw body size, for uploads. */
  bytes: number;
  /** When the whole request had arrived (`wallClock`). */
  arrivedAt: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  files?: FakeFileObject[];
  /** Every text/blocks version this message had, oldest first (chat.update appends). */
  history: { text: string; blocks?: unknown[] }[];
  deleted?: boolean;
  /** A message made by `chat.startStream`: open until `chat.stopStream` (streams.ts). */
  stream?: FakeStream;
}

/** A streamed message's state: how it was started (text and chunks cannot be mixed) and whether it is open. */
export interface FakeStream {
  /** Set by the first call that carries text. */
  mode?: "markdown_text" | "chunks" | undefined;
  state: "streaming" | "stopped";
  /** Each piece of text as it was appended, the start's first. */
  appends: string[];
}

/** An assistant (agent) thread Slack opened in a person's DM with the app (assistant.ts). */
export interface FakeAssistantThread {
  user: string;
  channel: string;
  threadTs: string;
  /** The status line under the thread; "" when cleared (by the app, or by a message it posted there). */
  status: string;
  loadingMessages: string[];
  /** Every status set, in order, "" for a clear (whoever cleared it). */
  statuses: string[];
  title?: string;
  prompts?: { title?: string; prompts: { title: string; message: string }[] };
}

export interface FakeFile {
  id: string;
  name: string;
  title?: string;
  bytes?: Buffer;
  mimetype: string;
  /** When completeUploadExternal (or the person's upload) finished; ready `fileReadyDelayMs` later. */
  completedAt?: number;
  shares: { channel: string; thread_ts?: string }[];
  deleted?: boolean;
}

/** The subset of Slack's file object the bot reads. */
export interface FakeFileObject {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  url_private: string;
  url_private_download: string;
}

/** A Web API method answering an HTTP error (Slack down) for its next `remaining` matching calls. */
export interface InjectedServerError {
  method: string;
  status: number;
  remaining: number;
  match?: ((args: Record<string, unknown>) => boolean) | undefined;
}

export interface FakeSlackState {
  requests: RecordedSlackRequest[];
  messages: FakeMessage[];
  files: Map<string, FakeFile>;
  ephemerals: Record<string, unknown>[];
  responses: Record<string, unknown>[];
  views: Record<string, unknown>[];
  failures: { method: string; error: string; result: Record<string, unknown> }[];
  /** Channels the bot is not a member of: posting there answers `not_in_channel`. */
  notIn: Set<string>;
  /** Person → the DM channel `conversations.open` gave the bot with them. */
  ims: Map<string, string>;
  /** The bot token's scopes: a method that needs another answers `missing_scope`. */
  scopes: readonly string[];
  /** method → queue of retry-after seconds for injected 429s. */
  rateLimits: Map<string, number[]>;
  /** Injected HTTP errors (5xx), FIFO; `match` picks the calls by their arguments. */
  serverErrors: InjectedServerError[];
  fileReadyDelayMs: number;
  /** A workspace without carousels: a `carousel` block is `invalid_blocks`. */
  carouselsRefused: boolean;
  /** A workspace without the text streaming methods: `chat.*Stream` answer `unknown_method`. */
  streamingRefused: boolean;
  /** `channel:thread_ts` → the assistant thread opened there. */
  assistantThreads: Map<string, FakeAssistantThread>;
  /** Where `files.getUploadURLExternal` points; the fake's own origin unless a test moves it. */
  uploadOrigin: string;
  origin: string;
  botToken: string;
  clock: number;
  openid: FakeOpenId;
}

const MIME: Record<string, string> = { png: "png", jpeg: "jpg", gif: "gif", webp: "webp" };

export function fileObject(state: FakeSlackState, file: FakeFile): FakeFileObject {
  const ready = isReady(state, file);
  const filetype = MIME[file.mimetype.replace("image/", "")] ?? "binary";
  return {
    id: file.id,
    name: file.name,
    title: file.title ?? file.name,
    // Slack fills these in asynchronously after an upload completes; empty until then.
    mimetype: ready ? file.mimetype : "",
    filetype: ready ? filetype : "",
    size: file.bytes?.length ?? 0,
    url_private: `${state.origin}/files-pri/${file.id}/${encodeURIComponent(file.name)}`,
    url_private_download: `${state.origin}/files-pri/${file.id}/download/${encodeURIComponent(file.name)}`,
  };
}

export function isReady(state: FakeSlackState, file: FakeFile): boolean {
  return (
    file.completedAt !== undefined && Date.now() >= file.completedAt + state.fileReadyDelayMs && !file.deleted
  );
}

/** Slack timestamps: seconds with six digits, unique and increasing per workspace. */
export function nextTs(state: FakeSlackState): string {
  state.clock += 1;
  return `${1_800_000_000 + Math.floor(state.clock / 1_000_000)}.${String(state.clock % 1_000_000).padStart(6, "0")}`;
}

export function findMessage(state: FakeSlackState, channel: string, ts: string): FakeMessage | undefined {
  return state.messages.find(
    (message) => message.channel === channel && message.ts === ts && !message.deleted,
  );
}
