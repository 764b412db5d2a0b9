import type { ServerResponse } from "node:http";
import type { RedisClient } from "../../core/redis-slots.js";
import type { Logger } from "../../logger.js";
import { type StudioPerson, studioChannel } from "./channel.js";

/** A comment line this often keeps proxies and browsers from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** How soon a browser reconnects after the stream drops (a restart, a proxy timeout). */
const RETRY_MS = 3_000;

/**
 * The studio's server-sent events: one Redis subscriber connection for the whole process, subscribed to the
 * channel of each person with a page open (and only while one is), fanning each message out to that person's
 * streams alone.
 */
export class StudioEventHub {
  private readonly streams = new Map<string, Set<ServerResponse>>();
  /** Each channel's subscription, awaited by every stream that joins before it is confirmed. */
  private readonly subscribed = new Map<string, Promise<unknown>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    subscriber.on("message", (channel: string, message: string) => {
      for (const res of this.streams.get(channel) ?? []) res.write(`data: ${message}\n\n`);
    });
    this.heartbeat = setInterval(() => {
      for (const set of this.streams.values()) for (const res of set) res.write(": heartbeat\n\n");
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Streams `person`'s events on `res` until the page goes; the first line is written once subscribed. */
  async open(res: ServerResponse, person: StudioPerson): Promise<void> {
    const channel = studioChannel(this.prefix, person);
    // Headers first: a message may arrive in the same read as the subscription's confirmation.
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      // nginx buffers responses unless told not to; events must arrive as they happen.
      "x-accel-buffering": "no",
    });
    let set = this.streams.get(channel);
    if (set === undefined) {
      set = new Set();
      this.streams.set(channel, set);
      this.subscribed.set(channel, this.subscriber.subscribe(channel));
    }
    set.add(res);
    res.on("close", () => void this.leave(channel, res));
    await this.subscribed.get(channel);
    res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
  }

  private async leave(channel: string, res: ServerResponse): Promise<void> {
    const set = this.streams.get(channel);
    if (set === undefined || !set.delete(res) || set.size > 0) return;
    this.streams.delete(channel);
    this.subscribed.delete(channel);
    await this.subscriber.unsubscribe(channel).catch((error: unknown) => {
      this.logger.warn({ err: error }, "studio unsubscribe failed");
    });
  }

  connected(): boolean {
    return this.subscriber.status === "ready";
  }

  /** Ends every stream (the page reconnects to another process, or after the restart) and the subscriber. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const set of this.streams.values()) for (const res of set) res.end();
    this.streams.clear();
    this.subscriber.disconnect();
  }
}
