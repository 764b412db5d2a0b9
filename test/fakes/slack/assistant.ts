import { type FakeAssistantThread, type FakeMessage, type FakeSlackState, nextTs } from "./state.js";

/**
 * Slack's agent (assistant) threads: `assistant.threads.setStatus`, `setSuggestedPrompts` and `setTitle`, as
 * their method pages state. `channel_id` and `thread_ts` name the thread (`channel_not_found`,
 * `invalid_thread_ts` / `missing_thread_ts`); setStatus takes `assistant:write` or `chat:write`, the other two
 * `assistant:write` only (`missing_scope`); at most 10 loading messages; 1–4 suggested prompts, each with a
 * title and a message. The status line is 50 characters at most (the limit Slack enforces, though its page
 * names none), and any message the app posts in the thread clears it, as Slack does.
 */

type Args = Record<string, unknown>;
type Result = Record<string, unknown>;

const STATUS_MAX = 50;
const LOADING_MESSAGES_MAX = 10;
const PROMPTS_MAX = 4;

const fail = (error: string, extra: Args = {}): Result => ({ ok: false, error, ...extra });
const text = (value: unknown): string => (typeof value === "string" ? value : "");
const invalid = (message: string): Result =>
  fail("invalid_arguments", { response_metadata: { messages: [`[ERROR] ${message}`] } });
const key = (channel: string, threadTs: string) => `${channel}:${threadTs}`;

function missingScope(state: FakeSlackState, accepted: string[]): Result | undefined {
  if (accepted.some((scope) => state.scopes.includes(scope))) return undefined;
  return fail("missing_scope", { needed: accepted.join(","), provided: state.scopes.join(",") });
}

/** The assistant thread the call names, or Slack's refusal. */
function thread(state: FakeSlackState, args: Args, missing: string): FakeAssistantThread | Result {
  const channel = text(args.channel_id);
  if (!channel) return fail("channel_not_found");
  const threadTs = text(args.thread_ts);
  if (!threadTs) return fail(missing);
  const found = state.assistantThreads.get(key(channel, threadTs));
  if (found) return found;
  return [...state.assistantThreads.values()].some((t) => t.channel === channel)
    ? fail("invalid_thread_ts")
    : fail("channel_not_found");
}

const isFailure = (value: object): value is Result => "ok" in value;

export const assistantMethods: Record<string, (state: FakeSlackState, args: Args) => Result> = {
  "assistant.threads.setStatus": (state, args) => {
    const refused = missingScope(state, ["assistant:write", "chat:write"]);
    if (refused) return refused;
    const found = thread(state, args, "invalid_thread_ts");
    if (isFailure(found)) return found;
    if (typeof args.status !== "string") return invalid("missing required field: status");
    if (args.status.length > STATUS_MAX)
      return invalid(`must be at most ${STATUS_MAX} characters [json-pointer:/status]`);
    const loading = args.loading_messages ?? [];
    if (!Array.isArray(loading) || loading.some((message) => typeof message !== "string"))
      return invalid("must be an array of strings [json-pointer:/loading_messages]");
    if (loading.length > LOADING_MESSAGES_MAX)
      return invalid(`must have at most ${LOADING_MESSAGES_MAX} items [json-pointer:/loading_messages]`);
    found.status = args.status;
    found.loadingMessages = args.status === "" ? [] : (loading as string[]);
    found.statuses.push(args.status);
    return { ok: true };
  },

  "assistant.threads.setSuggestedPrompts": (state, args) => {
    const refused = missingScope(state, ["assistant:write"]);
    if (refused) return refused;
    const found = thread(state, args, "missing_thread_ts");
    if (isFailure(found)) return found;
    const prompts = args.prompts as { title?: unknown; message?: unknown }[] | undefined;
    if (!Array.isArray(prompts) || prompts.length < 1 || prompts.length > PROMPTS_MAX)
      return invalid(`must have 1 to ${PROMPTS_MAX} items [json-pointer:/prompts]`);
    for (const [index, prompt] of prompts.entries()) {
      if (!text(prompt?.title) || !text(prompt?.message))
        return invalid(`must have a title and a message [json-pointer:/prompts/${index}]`);
    }
    found.prompts = {
      ...(text(args.title) ? { title: text(args.title) } : {}),
      prompts: prompts.map((p) => ({ title: text(p.title), message: text(p.message) })),
    };
    return { ok: true };
  },

  "assistant.threads.setTitle": (state, args) => {
    const refused = missingScope(state, ["assistant:write"]);
    if (refused) return refused;
    const found = thread(state, args, "invalid_thread_ts");
    if (isFailure(found)) return found;
    if (!text(args.title)) return invalid("missing required field: title");
    found.title = text(args.title);
    return { ok: true };
  },
};

/** Methods that post a message: one the app posts in an assistant thread clears the thread's status. */
const POSTING = new Set(["chat.postMessage", "chat.startStream", "files.completeUploadExternal"]);

export function clearStatusOnPost(state: FakeSlackState, method: string, args: Args): void {
  if (!POSTING.has(method)) return;
  const channel = text(args.channel) || text(args.channel_id);
  const found = state.assistantThreads.get(key(channel, text(args.thread_ts)));
  if (found === undefined || found.status === "") return;
  found.status = "";
  found.loadingMessages = [];
  found.statuses.push("");
}

/**
 * A person opens the app's assistant view: Slack makes a thread in their DM with the app (its root a message
 * of the app's, with no text) and sends the app `assistant_thread_started` with it. Returns the event.
 */
export function openAssistantThread(
  state: FakeSlackState,
  input: { user: string; team: string; context?: { channel_id?: string } },
): { event: Record<string, unknown>; channel: string; threadTs: string } {
  const channel = state.ims.get(input.user) ?? `D${input.user.slice(1, 11).padEnd(10, "0")}`;
  state.ims.set(input.user, channel);
  const root: FakeMessage = {
    channel,
    ts: nextTs(state),
    bot_id: "B0FAKEBOT1",
    user: "U0FAKEBOT1",
    text: "",
    history: [{ text: "" }],
  };
  state.messages.push(root);
  state.assistantThreads.set(key(channel, root.ts), {
    user: input.user,
    channel,
    threadTs: root.ts,
    status: "",
    loadingMessages: [],
    statuses: [],
  });
  const event = assistantEvent(state, "assistant_thread_started", {
    user: input.user,
    channel,
    threadTs: root.ts,
    context: { ...(input.context ?? {}), team_id: input.team },
  });
  return { event, channel, threadTs: root.ts };
}

/**
 * `assistant_thread_started`, or `assistant_thread_context_changed` when the person, the view open, moves to
 * another channel (`context.channel_id`).
 */
export function assistantEvent(
  state: FakeSlackState,
  type: "assistant_thread_started" | "assistant_thread_context_changed",
  thread: { user: string; channel: string; threadTs: string; context: Record<string, string> },
): Record<string, unknown> {
  const assistantThread = {
    user_id: thread.user,
    context: thread.context,
    channel_id: thread.channel,
    thread_ts: thread.threadTs,
  };
  return { type, assistant_thread: assistantThread, event_ts: nextTs(state) };
}
