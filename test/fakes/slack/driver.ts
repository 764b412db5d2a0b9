import { createHmac, randomBytes } from "node:crypto";
import type { FakeSocketMode } from "./socket-mode.js";
import { BOT } from "./web-api.js";

/**
 * Plays Slack's side of HTTP mode: sends slash commands, events and interactions to Bolt's receiver,
 * signed the way Slack signs them (`v0:<timestamp>:<body>`, HMAC-SHA256 with the signing secret).
 */
export interface DriverOptions {
  /** HTTP mode: the receiver's endpoint, e.g. `http://127.0.0.1:3000/slack/events`. */
  url?: string;
  signingSecret?: string;
  /** Socket Mode: deliver envelopes over the fake's WebSocket instead (the ack's payload is the reply body). */
  socket?: FakeSocketMode;
  /** Where `response_url`s point (the fake Slack's `responseUrl()`). */
  responseUrl: () => string;
  team?: string;
}

export interface DriverReply {
  status: number;
  body: string;
}

/** A signed request exactly as it went out, to send again verbatim (a replay). */
export interface SentRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SlashCommand {
  text: string;
  user?: string;
  channel?: string;
  command?: string;
}

/**
 * Slack's trigger ids are `<seconds>.<number>.<hex>` and open a modal for 3 s; the fake's carry the
 * milliseconds they were issued at, so `views.open` can refuse an expired one as Slack does.
 */
export const triggerId = () => `${Date.now()}.1234567890.${randomBytes(8).toString("hex")}`;

/** How `send` signs: a forged signature, or another time than now. */
export interface SendExtra {
  signature?: string;
  timestamp?: number;
}

export class SlackDriver {
  readonly team: string;
  private eventCount = 0;
  /** The last request `send` posted, headers and body as they went out. */
  lastSent: SentRequest | undefined;

  constructor(private readonly options: DriverOptions) {
    this.team = options.team ?? BOT.team_id;
  }

  /**
   * Signs and posts a raw body; `signature` replaces the real one (a forged request), `timestamp` (seconds)
   * signs it as sent at another time (a clock ahead or behind, an old request).
   */
  async send(
    body: string,
    contentType: string,
    extra: SendExtra & { headers?: Record<string, string> } = {},
  ): Promise<DriverReply> {
    const timestamp = String(extra.timestamp ?? Math.floor(Date.now() / 1000));
    const signature =
      extra.signature ??
      `v0=${createHmac("sha256", this.options.signingSecret ?? "")
        .update(`v0:${timestamp}:${body}`)
        .digest("hex")}`;
    const headers = {
      "content-type": contentType,
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": signature,
      ...extra.headers,
    };
    this.lastSent = { body, headers };
    return this.post({ body, headers });
  }

  /** Posts a request sent before again, byte for byte: what an attacker who captured it would do. */
  resend(request: SentRequest): Promise<DriverReply> {
    return this.post(request);
  }

  private async post({ body, headers }: SentRequest): Promise<DriverReply> {
    const response = await fetch(this.options.url ?? "", { method: "POST", headers, body });
    return { status: response.status, body: await response.text() };
  }

  slashCommand(command: SlashCommand, extra: SendExtra = {}): Promise<DriverReply> {
    const params = {
      token: "verification-token-unused",
      team_id: this.team,
      team_domain: "fake",
      channel_id: command.channel ?? "C0FAKECHAN1",
      channel_name: "general",
      user_id: command.user ?? "U0FAKEUSER1",
      user_name: "person",
      command: command.command ?? "/imagine",
      text: command.text,
      api_app_id: "A0FAKEAPP01",
      response_url: this.options.responseUrl(),
      trigger_id: triggerId(),
    };
    if (this.options.socket) return socketReply(this.options.socket.send("slash_commands", params));
    return this.send(new URLSearchParams(params).toString(), "application/x-www-form-urlencoded", extra);
  }

  /** An Events API callback; `retryNum` sends it again the way Slack retries (same event id). */
  async event(
    event: Record<string, unknown>,
    options: { eventId?: string; retryNum?: number } = {},
  ): Promise<DriverReply & { eventId: string }> {
    const eventId = options.eventId ?? `Ev${String(++this.eventCount).padStart(9, "0")}`;
    const envelope = {
      token: "verification-token-unused",
      team_id: this.team,
      api_app_id: "A0FAKEAPP01",
      event: { event_ts: event.ts, ...event },
      type: "event_callback",
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: this.team, user_id: BOT.user_id, is_bot: true }],
    };
    if (this.options.socket) {
      const retry = options.retryNum === undefined ? undefined : { attempt: options.retryNum };
      const reply = await socketReply(this.options.socket.send("events_api", envelope, retry));
      return { ...reply, eventId };
    }
    const body = JSON.stringify(envelope);
    if (options.retryNum === undefined)
      return this.send(body, "application/json").then((reply) => ({ ...reply, eventId }));
    const headers = { "x-slack-retry-num": String(options.retryNum), "x-slack-retry-reason": "http_timeout" };
    // A retry is a new delivery, signed when it goes out: at the earliest after the 3 s Slack waited for the
    // earlier one. Its timestamp, and so its signature, differs: the replay guard must let it through.
    const timestamp = Math.floor(Date.now() / 1000) + 3 * options.retryNum;
    return this.send(body, "application/json", { headers, timestamp }).then((reply) => ({
      ...reply,
      eventId,
    }));
  }

  /** An interaction (`block_actions`, `message_action`, `view_submission`), form-encoded as Slack does. */
  interaction(payload: Record<string, unknown>): Promise<DriverReply> {
    const full = {
      token: "verification-token-unused",
      team: { id: this.team, domain: "fake" },
      api_app_id: "A0FAKEAPP01",
      trigger_id: triggerId(),
      ...(payload.type === "view_submission" ? {} : { response_url: this.options.responseUrl() }),
      ...payload,
    };
    if (this.options.socket) return socketReply(this.options.socket.send("interactive", full));
    const body = new URLSearchParams({ payload: JSON.stringify(full) }).toString();
    return this.send(body, "application/x-www-form-urlencoded");
  }

  /** A click on a button of a bot message. */
  clickButton(input: {
    user: string;
    channel: string;
    messageTs: string;
    /** The thread the message sits in, when it is a reply. */
    threadTs?: string;
    actionId: string;
    value: string;
    /** The message is an ephemeral one: Slack marks the container and sends no `message`. */
    ephemeral?: boolean;
  }): Promise<DriverReply> {
    const message = {
      ts: input.messageTs,
      type: "message",
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    };
    return this.interaction({
      type: "block_actions",
      user: { id: input.user, team_id: this.team },
      channel: { id: input.channel },
      container: {
        type: "message",
        message_ts: input.messageTs,
        channel_id: input.channel,
        ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
        ...(input.ephemeral ? { is_ephemeral: true } : {}),
      },
      ...(input.ephemeral ? {} : { message }),
      actions: [
        {
          type: "button",
          action_id: input.actionId,
          block_id: "actions",
          value: input.value,
          action_ts: String(Date.now() / 1000),
        },
      ],
    });
  }

  /** A pick in an overflow menu of a bot message: Slack sends the option's value as `selected_option`. */
  pickOverflow(input: {
    user: string;
    channel: string;
    messageTs: string;
    actionId: string;
    value: string;
  }): Promise<DriverReply> {
    return this.interaction({
      type: "block_actions",
      user: { id: input.user, team_id: this.team },
      channel: { id: input.channel },
      container: { type: "message", message_ts: input.messageTs, channel_id: input.channel },
      message: { ts: input.messageTs, type: "message" },
      actions: [
        {
          type: "overflow",
          action_id: input.actionId,
          block_id: "actions",
          selected_option: { text: { type: "plain_text", text: "picked" }, value: input.value },
          action_ts: String(Date.now() / 1000),
        },
      ],
    });
  }

  /** The "Edit image" message shortcut on a message. */
  messageShortcut(input: {
    callbackId: string;
    user: string;
    channel: string;
    message: Record<string, unknown>;
  }): Promise<DriverReply> {
    return this.interaction({
      type: "message_action",
      callback_id: input.callbackId,
      user: { id: input.user, team_id: this.team },
      channel: { id: input.channel },
      message_ts: input.message.ts,
      message: input.message,
    });
  }

  /**
   * Submitting a modal the bot opened: `values` is `{blockId: {actionId: value}}`, a text input's value or the
   * files put in a `file_input` (`FakeSlack.uploadAsUser`).
   */
  viewSubmission(input: {
    user: string;
    view: Record<string, unknown>;
    values: Record<string, Record<string, string | { files: readonly object[] }>>;
  }): Promise<DriverReply> {
    const values: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const [blockId, actions] of Object.entries(input.values)) {
      values[blockId] = {};
      for (const [actionId, value] of Object.entries(actions)) {
        (values[blockId] as Record<string, Record<string, unknown>>)[actionId] =
          typeof value === "string"
            ? { type: "plain_text_input", value }
            : { type: "file_input", files: [...value.files] };
      }
    }
    return this.interaction({
      type: "view_submission",
      user: { id: input.user, team_id: this.team },
      view: { ...input.view, state: { values } },
    });
  }
}

async function socketReply(acked: Promise<unknown>): Promise<DriverReply> {
  const payload = await acked;
  return { status: 200, body: payload === undefined ? "" : JSON.stringify(payload) };
}
