import { assistantMethods, clearStatusOnPost } from "./assistant.js";
import { blockErrors } from "./block-checks.js";
import {
  type FakeFile,
  type FakeMessage,
  type FakeSlackState,
  fileObject,
  findMessage,
  nextTs,
} from "./state.js";
import { streamMethods } from "./streams.js";
import { fileInputErrors } from "./view-inputs.js";

/** A Web API answer: Slack always replies 200 with `ok`, except for 429s. */
export type ApiResult = Record<string, unknown>;

type Args = Record<string, unknown>;
type Method = (state: FakeSlackState, args: Args) => ApiResult;

const fail = (error: string, extra: Args = {}): ApiResult => ({ ok: false, error, ...extra });

/** "trigger_ids expire in three seconds": a modal opened later is refused. */
const TRIGGER_LIFE_MS = 3_000;

/** A modal's limits as Slack states them: title, submit and close up to 24 characters, metadata up to 3,000. */
function checkModalView(view: Args): ApiResult | undefined {
  const errors: string[] = [];
  const label = (field: string) => (view[field] as { text?: unknown } | undefined)?.text;
  if (view.type !== "modal") errors.push("must be a modal view [json-pointer:/view/type]");
  for (const field of ["title", "submit", "close"]) {
    const words = label(field);
    if (field === "title" && typeof words !== "string")
      errors.push("missing title [json-pointer:/view/title]");
    if (typeof words === "string" && (words.length < 1 || words.length > 24))
      errors.push(`must be at most 24 characters [json-pointer:/view/${field}/text]`);
  }
  const metadata = view.private_metadata;
  if (typeof metadata === "string" && metadata.length > 3000)
    errors.push("must be at most 3000 characters [json-pointer:/view/private_metadata]");
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  if (blocks.length < 1 || blocks.length > 100)
    errors.push("must have 1 to 100 blocks [json-pointer:/view/blocks]");
  errors.push(...fileInputErrors(blocks));
  return errors.length > 0
    ? fail("invalid_arguments", { response_metadata: { messages: errors } })
    : undefined;
}
const text = (value: unknown): string => (typeof value === "string" ? value : "");

export const BOT = { team_id: "T0FAKE0001", user_id: "U0FAKEBOT1", bot_id: "B0FAKEBOT1" } as const;

/** Slack's answer to blocks it refuses (`block-checks.ts`): `invalid_blocks`, each error in its messages. */
function checkBlocks(state: FakeSlackState, blocks: unknown): ApiResult | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return fail("invalid_blocks_format");
  const errors = blockErrors(state, blocks);
  if (errors === undefined) return undefined;
  return fail("invalid_blocks", {
    errors,
    response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
  });
}

function messageJson(message: FakeMessage): ApiResult {
  const { history: _history, deleted: _deleted, ...rest } = message;
  return { type: "message", ...rest };
}

const methods: Record<string, Method> = {
  "auth.test": (state) => ({
    ok: true,
    url: `${state.origin}/`,
    team: "Fake Team",
    user: "imagine",
    ...BOT,
  }),

  "chat.postMessage": (state, args) => {
    const channel = text(args.channel);
    if (!channel) return fail("channel_not_found");
    if (state.notIn.has(channel)) return fail("not_in_channel");
    if (!text(args.text) && args.blocks === undefined) return fail("no_text");
    const invalid = checkBlocks(state, args.blocks);
    if (invalid) return invalid;
    const message: FakeMessage = {
      channel,
      ts: nextTs(state),
      ...(text(args.thread_ts) ? { thread_ts: text(args.thread_ts) } : {}),
      bot_id: BOT.bot_id,
      user: BOT.user_id,
      text: text(args.text),
      ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
      history: [],
    };
    message.history.push({ text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
    state.messages.push(message);
    return { ok: true, channel, ts: message.ts, message: messageJson(message) };
  },

  // The DM between the bot and one person: the same channel every time; several people (an MPIM) not faked.
  "conversations.open": (state, args) => {
    const needed = ["channels:manage", "groups:write", "im:write", "mpim:write"];
    if (!needed.some((scope) => state.scopes.includes(scope))) {
      return fail("missing_scope", { needed: needed.join(","), provided: state.scopes.join(",") });
    }
    const users = text(args.users).split(",").filter(Boolean);
    if (users.length === 0) return fail("users_list_not_supplied");
    if (users.length > 1) return fail("not_supported");
    const user = users[0] ?? "";
    const id = state.ims.get(user) ?? `D${user.slice(1, 11).padEnd(10, "0")}`;
    state.ims.set(user, id);
    return { ok: true, channel: { id } };
  },

  "chat.update": (state, args) => {
    const message = findMessage(state, text(args.channel), text(args.ts));
    if (!message) return fail("message_not_found");
    // A bot edits only its own messages.
    if (message.bot_id !== BOT.bot_id) return fail("cant_update_message");
    const invalid = checkBlocks(state, args.blocks);
    if (invalid) return invalid;
    message.text = text(args.text);
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    message.history.push({ text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
    return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
  },

  "chat.delete": (state, args) => {
    const message = findMessage(state, text(args.channel), text(args.ts));
    if (!message) return fail("message_not_found");
    message.deleted = true;
    return { ok: true, channel: message.channel, ts: message.ts };
  },

  "chat.postEphemeral": (state, args) => {
    if (!text(args.user)) return fail("user_not_in_channel");
    const invalid = checkBlocks(state, args.blocks);
    if (invalid) return invalid;
    state.ephemerals.push(args);
    return { ok: true, message_ts: nextTs(state) };
  },

  "files.getUploadURLExternal": (state, args) => {
    const length = Number(args.length);
    if (!text(args.filename) || !Number.isInteger(length) || length <= 0) return fail("invalid_arguments");
    const id = `F${String(state.files.size + 1).padStart(9, "0")}`;
    state.files.set(id, { id, name: text(args.filename), mimetype: "", shares: [] });
    return { ok: true, upload_url: `${state.uploadOrigin}/upload/v1/${id}`, file_id: id };
  },

  "files.completeUploadExternal": (state, args) => {
    const entries = (Array.isArray(args.files) ? args.files : []) as { id?: string; title?: string }[];
    if (entries.length === 0) return fail("invalid_arguments");
    const files: FakeFile[] = [];
    for (const entry of entries) {
      const file = entry.id === undefined ? undefined : state.files.get(entry.id);
      if (!file?.bytes) return fail("file_not_found");
      if (entry.title) file.title = entry.title;
      file.completedAt = Date.now();
      files.push(file);
    }
    const channel = text(args.channel_id);
    if (channel) {
      const threadTs = text(args.thread_ts);
      for (const file of files) file.shares.push({ channel, ...(threadTs ? { thread_ts: threadTs } : {}) });
      const message: FakeMessage = {
        channel,
        ts: nextTs(state),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        bot_id: BOT.bot_id,
        user: BOT.user_id,
        text: text(args.initial_comment),
        files: files.map((file) => ({ ...fileObject(state, file), mimetype: file.mimetype })),
        history: [],
      };
      state.messages.push(message);
    }
    return { ok: true, files: files.map((file) => ({ id: file.id, title: file.title ?? file.name })) };
  },

  "files.info": (state, args) => {
    const file = state.files.get(text(args.file));
    if (!file || file.deleted || file.completedAt === undefined) return fail("file_not_found");
    return { ok: true, file: fileObject(state, file) };
  },

  "files.delete": (state, args) => {
    const file = state.files.get(text(args.file));
    if (!file || file.deleted) return fail("file_not_found");
    file.deleted = true;
    return { ok: true };
  },

  "views.open": (state, args) => {
    const trigger = /^(\d+)\.\d+\.[0-9a-f]+$/.exec(text(args.trigger_id));
    if (!trigger) return fail("invalid_trigger_id");
    if (Date.now() - Number(trigger[1]) > TRIGGER_LIFE_MS) return fail("expired_trigger_id");
    const view = typeof args.view === "string" ? JSON.parse(args.view) : args.view;
    const invalid = checkModalView(view as Args);
    if (invalid) return invalid;
    const id = `V${String(state.views.length + 1).padStart(9, "0")}`;
    state.views.push({ id, ...(view as Args) });
    return { ok: true, view: { id, ...(view as Args) } };
  },

  "conversations.replies": (state, args) => {
    const channel = text(args.channel);
    const ts = text(args.ts);
    const root = findMessage(state, channel, ts);
    if (!root) return fail("thread_not_found");
    const thread = root.thread_ts ?? root.ts;
    const messages = state.messages.filter(
      (m) => m.channel === channel && !m.deleted && (m.ts === thread || m.thread_ts === thread),
    );
    return { ok: true, messages: messages.map(messageJson), has_more: false };
  },
};

export function callMethod(state: FakeSlackState, name: string, args: Args): ApiResult {
  const streaming = state.streamingRefused ? undefined : streamMethods[name];
  const method = methods[name] ?? streaming ?? assistantMethods[name];
  if (!method) return fail("unknown_method");
  const result = method(state, args);
  if (result.ok === true) clearStatusOnPost(state, name, args);
  return result;
}

export const METHOD_NAMES = [
  ...Object.keys(methods),
  ...Object.keys(streamMethods),
  ...Object.keys(assistantMethods),
];
