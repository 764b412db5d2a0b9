import type { webApi } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import { escapeText } from "./blocks.js";
import type { SlackReply } from "./reply-target.js";

type ChatStreamer = webApi.ChatStreamer;

/** Slack's answers meaning the workspace (or the app) has no text streaming, whatever the run: learnt per process. */
const WORKSPACE_REFUSALS = new Set([
  "unknown_method",
  "missing_scope",
  "not_allowed_token_type",
  "not_agent_app",
]);

/** Each piece of text is at most 12,000 characters (chat.appendStream). */
const PIECE_MAX = 12_000;

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

export interface SlackTextStreamDeps {
  client: webApi.WebClient;
  logger: Logger;
  /** Whether Slack refused streaming in this process (one per process: every renderer shares it). */
  streams: { refused: boolean };
  /** Least time between two calls on one stream: the deltas that come meanwhile go together. */
  minIntervalMs: number;
}

/**
 * The model's words as they come, streamed (`client.chatStream`: `chat.startStream`, `appendStream`, then
 * `stopStream`) as a reply in the run's thread, for the person who asked. Calls are spaced by `minIntervalMs`
 * (the worker's `CoalescingRenderer` joins the deltas that arrive meanwhile). `append` says false when the
 * text cannot go this way — a workspace without streaming (then never tried again in this process), or a
 * stream that broke — and the renderer shows it in the status message instead.
 */
export class SlackTextStream {
  private streamer: ChatStreamer | undefined;
  private sent = "";
  private lastCallAt = 0;
  private state: "idle" | "streaming" | "closed" = "idle";
  /** What `stop` answered: a result delivered again (a retried delivery) asks again. */
  private shownWhole = false;

  constructor(
    private readonly deps: SlackTextStreamDeps,
    private readonly reply: SlackReply,
  ) {}

  /** The streamed reply, once it was started. */
  get ts(): string | undefined {
    return this.streamer?.ts;
  }

  /** Whether the model's words are (or will be) in the streamed reply rather than in the status message. */
  get carriesText(): boolean {
    return this.state !== "closed" && !this.deps.streams.refused;
  }

  /** Streams `delta`; false when it was not streamed and must be shown another way. */
  async append(delta: string): Promise<boolean> {
    if (!this.carriesText) return false;
    await this.paced();
    const { reply } = this;
    try {
      this.streamer ??= this.deps.client.chatStream({
        channel: reply.channel,
        thread_ts: reply.threadTs ?? reply.ts,
        // Required outside a DM: the stream is for the person who asked.
        recipient_team_id: reply.team,
        recipient_user_id: reply.user,
        buffer_size: 1,
      });
      for (let at = 0; at < delta.length; at += PIECE_MAX) {
        await this.streamer.append({ markdown_text: escapeText(delta.slice(at, at + PIECE_MAX)) });
      }
      this.sent += delta;
      this.state = "streaming";
      return true;
    } catch (error) {
      await this.giveUp(error);
      return false;
    } finally {
      this.lastCallAt = Date.now();
    }
  }

  /**
   * Ends the stream (the run completed or failed) with what of `finalText` it has not shown yet: deltas the
   * worker dropped once the result came. True when the streamed reply now holds the whole of `finalText`.
   * Never throws: the result matters more than its commentary.
   */
  async stop(finalText?: string): Promise<boolean> {
    if (this.state !== "streaming" || this.streamer === undefined) return this.shownWhole;
    this.state = "closed";
    const whole = finalText === undefined || finalText.startsWith(this.sent);
    const rest = finalText === undefined || !whole ? "" : finalText.slice(this.sent.length);
    await this.paced();
    try {
      await this.streamer.stop(rest ? { markdown_text: escapeText(rest.slice(0, PIECE_MAX)) } : undefined);
      this.shownWhole = whole && rest.length <= PIECE_MAX;
    } catch (error) {
      this.deps.logger.warn({ err: error }, "streamed text not stopped");
    }
    return this.shownWhole;
  }

  /** Waits until `minIntervalMs` has passed since the last call on this stream. */
  private async paced(): Promise<void> {
    const wait = this.lastCallAt + this.deps.minIntervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private async giveUp(error: unknown): Promise<void> {
    const code = slackErrorCode(error);
    const started = this.streamer?.ts !== undefined;
    this.state = "closed";
    if (!started && code !== undefined && WORKSPACE_REFUSALS.has(code)) {
      this.deps.streams.refused = true;
      this.deps.logger.warn(
        { err: error },
        "Slack refused text streaming; the model's words go in the status message from now on",
      );
      return;
    }
    this.deps.logger.warn({ err: error }, "streamed text broke; the rest goes in the status message");
    // What the stream shows so far stays: it is ended, not left open.
    if (started) await this.streamer?.stop().catch(() => undefined);
  }
}
