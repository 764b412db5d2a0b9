import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BOT_SCOPES } from "../../../src/platforms/slack/manifest.js";
import { readIncoming } from "../incoming.js";
import { assistantEvent, openAssistantThread } from "./assistant.js";
import { answerOpenIdPage, FakeOpenId, openIdMethod } from "./openid.js";
import { recordRequest } from "./record.js";
import { FakeSocketMode } from "./socket-mode.js";
import type {
  FakeAssistantThread,
  FakeFile,
  FakeFileObject,
  FakeMessage,
  FakeSlackState,
  RecordedSlackRequest,
} from "./state.js";
import { postAsUser, storeUserFile, type UserFile, type UserPost } from "./user-posts.js";
import { BOT, callMethod } from "./web-api.js";

export type {
  FakeAssistantThread,
  FakeFile,
  FakeFileObject,
  FakeMessage,
  RecordedSlackRequest,
} from "./state.js";
export type { UserFile } from "./user-posts.js";
export { BOT } from "./web-api.js";

export interface FakeSlackOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The token every Web API call and `url_private` download must carry (default `xoxb-fake`). */
  botToken?: string;
  /** The app-level token `apps.connections.open` accepts (Socket Mode; default `xapp-fake`). */
  appToken?: string;
  /** How long after an upload completes until `files.info` reports it ready and image blocks accept it. */
  fileReadyDelayMs?: number;
  /**
   * Appends every request as a JSON line `{method, path, headers, json}`. Defaults to the file named by
   * `FAKE_SLACK_RECORD`, so any test run (or `npm run fake:slack`) can be recorded without code changes.
   */
  record?: string;
  /**
   * Sees each request before the fake and returns whether it answered it: the standalone fake's
   * `/_fake/imagine` (test/fakes/try-out.ts). Such requests are not Slack's API and are not recorded.
   */
  control?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Sign in with Slack's client id and secret (openid.ts); `1111111111.2222222222` and `fake-slack-client-secret`. */
  client?: { id: string; secret: string };
  /** The bot token's scopes, sent as `x-oauth-scopes` on every Web API answer (default: the manifest's). */
  scopes?: readonly string[];
}

export interface FakeSlack {
  origin: string;
  /** Web API base for `slackApiUrl`: `http://127.0.0.1:<port>/api/`. */
  apiUrl: string;
  /** `127.0.0.1:<port>`: the host a test explicitly trusts in place of Slack's own. */
  host: string;
  requests: RecordedSlackRequest[];
  messages: FakeMessage[];
  ephemerals: Record<string, unknown>[];
  /** Bodies posted to `response_url`s (Bolt's `respond`). */
  responses: Record<string, unknown>[];
  views: Record<string, unknown>[];
  /** Web API calls answered `ok: false` (e.g. `invalid_blocks` for a file not yet processed). */
  failures: FakeSlackState["failures"];
  /** Sign in with Slack (openid.ts): redirect URLs, the browser's person, codes and user tokens. */
  openid: FakeOpenId;
  /** Socket Mode: envelopes to the connected app. */
  socket: FakeSocketMode;
  /** Requests to Web API method `name` (e.g. `chat.update`), in order. */
  calls(name: string): RecordedSlackRequest[];
  /** The next `times` calls of `method` answer 429 with `retry-after: seconds`. */
  rateLimit(method: string, seconds: number, times?: number): void;
  /**
   * The next `times` calls of `method` whose arguments `match` answer HTTP `status` (503 by default), as
   * Slack does when it is down; the Web API client retries them.
   */
  serverError(options: {
    method: string;
    times: number;
    status?: number;
    match?: (args: Record<string, unknown>) => boolean;
  }): void;
  /** The bot leaves a channel: posting there answers `not_in_channel`. */
  leave(channel: string): void;
  /** A workspace without carousels (until `reset`): a message with a `carousel` block is `invalid_blocks`. */
  refuseCarousels(): void;
  /** A workspace without text streaming (until `reset`): `chat.startStream|appendStream|stopStream` are unknown. */
  refuseStreaming(): void;
  /**
   * A person opens the app's assistant view (assistant.ts): the thread in their DM and the
   * `assistant_thread_started` event to deliver; `assistantThread` then shows its status, title and prompts.
   */
  openAssistantThread(user: string): { event: Record<string, unknown>; channel: string; threadTs: string };
  assistantThread(channel: string, threadTs: string): FakeAssistantThread | undefined;
  /** The event Slack sends when the person, the view open, looks at another channel. */
  assistantContextChanged(channel: string, threadTs: string, viewing: string): Record<string, unknown>;
  /** Points `files.getUploadURLExternal` somewhere else (a foreign host, in the token-leak test). */
  setUploadOrigin(origin: string): void;
  /** A message a person posted, with files already processed; returns it as events carry it. */
  postAsUser(input: UserPost): FakeMessage & { files: FakeFileObject[] };
  /** A file a person put in a modal's `file_input`: uploaded, shared nowhere; the submission carries it. */
  uploadAsUser(file: UserFile): FakeFileObject;
  /** `response_url` for a driver's payloads. */
  responseUrl(): string;
  message(channel: string, ts: string): FakeMessage | undefined;
  /** A file the bot uploaded (or a person's), by id: the name it was given and its bytes. */
  file(id: string): FakeFile | undefined;
  reset(): void;
  close(): Promise<void>;
}

const JSON_FIELDS = new Set([
  "blocks",
  "attachments",
  "files",
  "view",
  "metadata",
  "chunks",
  "prompts",
  "loading_messages",
]);

/** Form fields the Web API client JSON-encodes (`blocks`, `files`, `view`) come back as objects. */
function parseBody(type: string, body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return undefined;
  if (type.includes("application/json")) return JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  if (type.includes("application/x-www-form-urlencoded")) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) {
      out[key] = JSON_FIELDS.has(key) && /^[[{]/.test(value) ? JSON.parse(value) : value;
    }
    return out;
  }
  return undefined;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    "content-type": Buffer.isBuffer(body) ? "application/octet-stream" : "application/json; charset=utf-8",
    "content-length": String(payload.length),
    ...headers,
  });
  res.end(payload);
}

function bearer(headers: Record<string, string>): string | undefined {
  return /^Bearer (.+)$/.exec(headers.authorization ?? "")?.[1];
}

async function handle(
  state: FakeSlackState,
  options: FakeSlackOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { path, query, headers, body, arrivedAt } = await readIncoming(req);
  const json = parseBody(headers["content-type"] ?? "", body);
  const recorded: RecordedSlackRequest = {
    method: req.method ?? "GET",
    path,
    headers,
    bytes: body.length,
    arrivedAt,
  };
  if (json !== undefined) recorded.json = json;
  state.requests.push(recorded);
  if (options.record) recordRequest(options.record, { method: recorded.method, path, headers, json });

  const form = (json ?? {}) as Record<string, string>;
  if (answerOpenIdPage(state.openid, { method: recorded.method, path, query, form }, res)) return;
  if (path === "/openid/connect/keys") return send(res, 200, state.openid.keys());
  const api = /^\/api\/([\w.]+)$/.exec(path);
  if (api?.[1] !== undefined) {
    const name = api[1];
    const args = json ?? {};
    const openid = openIdMethod(state.openid, name, args, headers.authorization);
    if (openid !== undefined) return send(res, 200, openid);
    const token = bearer(headers) ?? (typeof args.token === "string" ? args.token : undefined);
    if (name === "apps.connections.open") {
      if (token !== (options.appToken ?? "xapp-fake"))
        return send(res, 200, { ok: false, error: "invalid_auth" });
      return send(res, 200, { ok: true, url: `${state.origin.replace(/^http/, "ws")}/socket` });
    }
    if (token !== state.botToken) return send(res, 200, { ok: false, error: "invalid_auth" });
    const error = state.serverErrors.find((e) => e.method === name && (e.match?.(args) ?? true));
    if (error !== undefined) {
      error.remaining -= 1;
      if (error.remaining === 0) state.serverErrors.splice(state.serverErrors.indexOf(error), 1);
      return send(res, error.status, { ok: false, error: "service_unavailable" });
    }
    const limit = state.rateLimits.get(name)?.shift();
    if (limit !== undefined) {
      return send(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(limit) });
    }
    const result = callMethod(state, name, args);
    if (result.ok !== true) state.failures.push({ method: name, error: String(result.error), result });
    return send(res, 200, result, { "x-oauth-scopes": (options.scopes ?? BOT_SCOPES).join(",") });
  }
  const upload = /^\/upload\/v1\/(\w+)$/.exec(path);
  if (upload?.[1] !== undefined && req.method === "POST") {
    const file = state.files.get(upload[1]);
    if (!file) return send(res, 404, Buffer.from("not found"));
    file.bytes = body;
    file.mimetype = sniff(body);
    res.writeHead(200, { "content-type": "text/plain" });
    return void res.end(`OK - ${body.length}`);
  }
  const download = /^\/files-pri\/(\w+)\//.exec(path);
  if (download?.[1] !== undefined && req.method === "GET") {
    const file = state.files.get(download[1]);
    // Slack answers an unauthenticated download with its sign-in page, not the file.
    if (bearer(headers) !== state.botToken) {
      res.writeHead(200, { "content-type": "text/html" });
      return void res.end("<html>sign in</html>");
    }
    if (!file?.bytes || file.deleted) return send(res, 404, Buffer.from("not found"));
    return send(res, 200, file.bytes, { "content-type": file.mimetype });
  }
  if (path === "/redirect" && req.method === "GET") {
    // A CDN-style redirect, for testing that every hop's host is checked.
    const to = new URL(req.url ?? "/", "http://fake.local").searchParams.get("to") ?? "/";
    res.writeHead(302, { location: to });
    return void res.end();
  }
  if (/^\/respond\/\w+$/.test(path) && req.method === "POST") {
    state.responses.push((json ?? {}) as Record<string, unknown>);
    return send(res, 200, { ok: true });
  }
  send(res, 404, { ok: false, error: "not_found", path });
}

function sniff(bytes: Buffer): string {
  if (bytes.subarray(0, 4).toString("hex") === "89504e47") return "image/png";
  if (bytes.subarray(0, 3).toString("hex") === "ffd8ff") return "image/jpeg";
  if (bytes.subarray(0, 3).toString("ascii") === "GIF") return "image/gif";
  if (bytes.subarray(8, 12).toString("ascii") === "WEBP") return "image/webp";
  return "application/octet-stream";
}

export async function startFakeSlack(given: FakeSlackOptions = {}): Promise<FakeSlack> {
  // Test tooling, not the app: the issue names this variable, so the fake reads it (src/ never does).
  const recordFromEnv = process.env.FAKE_SLACK_RECORD;
  const options: FakeSlackOptions = { ...(recordFromEnv ? { record: recordFromEnv } : {}), ...given };
  const host = options.host ?? "127.0.0.1";
  const state: FakeSlackState = {
    requests: [],
    messages: [],
    files: new Map(),
    ephemerals: [],
    responses: [],
    views: [],
    failures: [],
    notIn: new Set(),
    ims: new Map(),
    scopes: options.scopes ?? BOT_SCOPES,
    rateLimits: new Map(),
    serverErrors: [],
    fileReadyDelayMs: options.fileReadyDelayMs ?? 0,
    carouselsRefused: false,
    streamingRefused: false,
    assistantThreads: new Map(),
    uploadOrigin: "",
    origin: "",
    botToken: options.botToken ?? "xoxb-fake",
    clock: 0,
    openid: new FakeOpenId(
      options.client?.id ?? "1111111111.2222222222",
      options.client?.secret ?? "fake-slack-client-secret",
      { user: "U0FAKEUSER1", team: BOT.team_id, name: "person" },
    ),
  };
  const server = createServer((req, res) => {
    if (options.control?.(req, res)) return;
    handle(state, options, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: "fake_slack_bug", detail: String(error) });
      else res.destroy();
    });
  });
  const socket = new FakeSocketMode();
  server.on("upgrade", (req, stream, head) => {
    if (req.url === "/socket") socket.upgrade(req, stream, head);
    else stream.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  state.origin = origin;
  state.uploadOrigin = origin;
  let responseCount = 0;
  return {
    origin,
    apiUrl: `${origin}/api/`,
    host: `${host}:${port}`,
    requests: state.requests,
    messages: state.messages,
    ephemerals: state.ephemerals,
    responses: state.responses,
    views: state.views,
    failures: state.failures,
    socket,
    openid: state.openid,
    calls: (name) => state.requests.filter((request) => request.path === `/api/${name}`),
    rateLimit(method, seconds, times = 1) {
      const queue = state.rateLimits.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(seconds);
      state.rateLimits.set(method, queue);
    },
    serverError({ method, times, status = 503, match }) {
      state.serverErrors.push({ method, status, remaining: times, match });
    },
    leave(channel) {
      state.notIn.add(channel);
    },
    refuseCarousels() {
      state.carouselsRefused = true;
    },
    refuseStreaming() {
      state.streamingRefused = true;
    },
    openAssistantThread: (user) => openAssistantThread(state, { user, team: BOT.team_id }),
    assistantThread: (channel, threadTs) => state.assistantThreads.get(`${channel}:${threadTs}`),
    assistantContextChanged(channel, threadTs, viewing) {
      const user = state.assistantThreads.get(`${channel}:${threadTs}`)?.user ?? "";
      const context = { channel_id: viewing, team_id: BOT.team_id };
      return assistantEvent(state, "assistant_thread_context_changed", { user, channel, threadTs, context });
    },
    setUploadOrigin(value) {
      state.uploadOrigin = value;
    },
    uploadAsUser: (upload) => storeUserFile(state, upload),
    postAsUser: (input) => postAsUser(state, input),
    responseUrl: () => `${origin}/respond/R${++responseCount}`,
    message: (channel, ts) => state.messages.find((m) => m.channel === channel && m.ts === ts),
    file: (id) => state.files.get(id),
    reset() {
      for (const list of [
        state.requests,
        state.messages,
        state.ephemerals,
        state.responses,
        state.views,
        state.failures,
      ]) {
        list.length = 0;
      }
      state.files.clear();
      state.rateLimits.clear();
      state.serverErrors.length = 0;
      state.notIn.clear();
      state.carouselsRefused = false;
      state.streamingRefused = false;
      state.assistantThreads.clear();
      state.uploadOrigin = origin;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        socket.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export const FAKE_TEAM = BOT.team_id;
