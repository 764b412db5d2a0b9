import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { guildCreate } from "./payloads.js";
import { snowflake } from "./snowflake.js";
import type { FakeWorld } from "./state.js";

const OP = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  resume: 6,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
};
const MESSAGE_CONTENT_INTENT = 1 << 15;

interface Session {
  socket: WebSocket;
  sequence: number;
  intents: number;
  identified: boolean;
}

export interface GatewayRecord {
  op: number;
  d: unknown;
}

/**
 * The gateway WebSocket at `/gateway`: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeat ACKs, and
 * dispatches the tests ask for. Closes with 4004 for a wrong token and 4014 for a privileged intent the
 * application may not use, like Discord.
 */
export class FakeGateway {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  /** Every payload received from clients (IDENTIFY tokens redacted). */
  readonly received: GatewayRecord[] = [];
  private readyWaiters: (() => void)[] = [];

  constructor(
    private readonly world: FakeWorld,
    private readonly heartbeatIntervalMs = 41_250,
  ) {}

  attach(http: Server): void {
    http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!(req.url ?? "").startsWith("/gateway")) {
        socket.destroy();
        return;
      }
      this.server.handleUpgrade(req, socket, head, (ws) => this.open(ws));
    });
  }

  /** Identified sessions, i.e. connected bots. */
  get connected(): number {
    return [...this.sessions].filter((session) => session.identified).length;
  }

  /** Whether any identified session asked for MESSAGE_CONTENT. */
  get messageContentIntent(): boolean {
    return [...this.sessions].some(
      (session) => session.identified && (session.intents & MESSAGE_CONTENT_INTENT) !== 0,
    );
  }

  /** Resolves once a client has identified (now, if one already has). */
  waitForReady(): Promise<void> {
    if (this.connected > 0) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  dispatch(event: string, data: unknown): void {
    for (const session of this.sessions) if (session.identified) this.send(session, event, data);
  }

  close(): void {
    for (const session of this.sessions) session.socket.terminate();
    this.server.close();
  }

  private open(socket: WebSocket): void {
    const session: Session = { socket, sequence: 0, intents: 0, identified: false };
    this.sessions.add(session);
    socket.on("close", () => this.sessions.delete(session));
    socket.on("message", (raw) => this.receive(session, raw.toString()));
    socket.send(
      JSON.stringify({ op: OP.hello, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null }),
    );
  }

  private receive(session: Session, raw: string): void {
    let payload: { op: number; d: unknown };
    try {
      payload = JSON.parse(raw) as { op: number; d: unknown };
    } catch {
      session.socket.close(4002, "Error while decoding payload.");
      return;
    }
    if (payload.op === OP.identify) {
      const d = payload.d as { token?: string; intents?: number };
      this.received.push({ op: payload.op, d: { ...d, token: "[redacted]" } });
      this.identify(session, d);
      return;
    }
    this.received.push(payload);
    if (payload.op === OP.heartbeat) {
      session.socket.send(JSON.stringify({ op: OP.heartbeatAck, d: null, s: null, t: null }));
    } else if (payload.op === OP.resume) {
      session.socket.send(JSON.stringify({ op: OP.invalidSession, d: false, s: null, t: null }));
    }
  }

  private identify(session: Session, d: { token?: string; intents?: number }): void {
    if (d.token !== this.world.token) {
      session.socket.close(4004, "Authentication failed.");
      return;
    }
    const intents = d.intents ?? 0;
    if ((intents & MESSAGE_CONTENT_INTENT) !== 0 && !this.world.messageContentAllowed) {
      session.socket.close(4014, "Disallowed intent(s).");
      return;
    }
    session.intents = intents;
    session.identified = true;
    const origin = this.world.origin.replace(/^http/, "ws");
    this.send(session, "READY", {
      v: 10,
      user: { ...this.world.botUser, verified: true, mfa_enabled: false, flags: 0 },
      guilds: [{ id: this.world.guildId, unavailable: true }],
      session_id: snowflake(),
      resume_gateway_url: `${origin}/gateway`,
      shard: [0, 1],
      application: { id: this.world.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      user_settings: {},
      geo_ordered_rtc_regions: [],
    });
    this.send(session, "GUILD_CREATE", guildCreate(this.world));
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private send(session: Session, event: string, data: unknown): void {
    session.sequence += 1;
    session.socket.send(JSON.stringify({ op: OP.dispatch, t: event, s: session.sequence, d: data }));
  }
}
