import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { guildCreate } from "./payloads.js";
import { shardOf, snowflake } from "./snowflake.js";
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

/** Discord's gateway close codes the fake sends. */
export const CLOSE = {
  decodeError: 4002,
  authenticationFailed: 4004,
  alreadyAuthenticated: 4005,
  invalidShard: 4010,
  shardingRequired: 4011,
  disallowedIntents: 4014,
} as const;

/** A shard as IDENTIFY names it: `[shard_id, num_shards]`; a client that sends none is `[0, 1]`. */
export type ShardPair = readonly [id: number, count: number];

interface Session {
  socket: WebSocket;
  sequence: number;
  intents: number;
  identified: boolean;
  shard: ShardPair;
}

/** A connection the fake closed instead of identifying it, for tests to see why. */
export interface GatewayRefusal {
  code: number;
  reason: string;
  shard: unknown;
}

export interface GatewayRecord {
  op: number;
  d: unknown;
}

/**
 * The gateway WebSocket at `/gateway`: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeat ACKs, and
 * dispatches the tests ask for. Closes with 4004 for a wrong token and 4014 for a privileged intent the
 * application may not use, like Discord. Sharded as Discord is: each guild's events go only to the session of
 * shard `(guild_id >> 22) % num_shards`, DMs only to shard 0; a shard outside its count is closed with 4010 and
 * too few shards with 4011. A second session for a shard already connected is refused with 4010 too: the one
 * refusal of a shard discord.js treats as final, so the second process stops instead of stealing its events.
 */
export class FakeGateway {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  /** Every payload received from clients (IDENTIFY tokens redacted). */
  readonly received: GatewayRecord[] = [];
  /** Connections closed at IDENTIFY, with the code and reason sent. */
  readonly refused: GatewayRefusal[] = [];
  private readyWaiters: { shards: number; resolve: () => void }[] = [];

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

  /** The `[id, count]` of every identified session, sorted. */
  get shards(): ShardPair[] {
    return [...this.sessions]
      .filter((session) => session.identified)
      .map((session) => session.shard)
      .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  }

  /** Resolves once `shards` sessions (one by default) have identified (now, if they already have). */
  waitForReady(shards = 1): Promise<void> {
    if (this.connected >= shards) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push({ shards, resolve }));
  }

  /** Sends the event to the shard that owns its guild (its `guild_id`, a guild's own `id`), or to shard 0. */
  dispatch(event: string, data: unknown): void {
    const guildId = guildOf(event, data);
    for (const session of this.sessions) {
      if (!session.identified) continue;
      const [id, count] = session.shard;
      const owner = guildId === undefined ? 0 : shardOf(guildId, count);
      if (owner === id) this.send(session, event, data);
    }
  }

  /** Discord ending a session of its own accord: closes the connection of shard `[id, count]` with `code`. */
  closeShard(shard: ShardPair, code: number, reason: string): void {
    for (const session of this.sessions)
      if (session.identified && session.shard[0] === shard[0] && session.shard[1] === shard[1])
        session.socket.close(code, reason);
  }

  close(): void {
    for (const session of this.sessions) session.socket.terminate();
    this.server.close();
  }

  private open(socket: WebSocket): void {
    const session: Session = { socket, sequence: 0, intents: 0, identified: false, shard: [0, 1] };
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
      session.socket.close(CLOSE.decodeError, "Error while decoding payload.");
      return;
    }
    if (payload.op === OP.identify) {
      const d = payload.d as IdentifyData;
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

  /** Why Discord would close this IDENTIFY (code and reason), or undefined when it starts the session. */
  private refusalOf(session: Session, d: IdentifyData): [number, string] | undefined {
    if (session.identified) return [CLOSE.alreadyAuthenticated, "Already authenticated."];
    if (d.token !== this.world.token) return [CLOSE.authenticationFailed, "Authentication failed."];
    const shard = shardOfIdentify(d);
    if (shard === undefined) return [CLOSE.invalidShard, "Invalid shard."];
    const required = this.world.requiredShards;
    if (required !== undefined && shard[1] < required) return [CLOSE.shardingRequired, "Sharding required."];
    const taken = [...this.sessions].some(
      (other) => other.identified && other.shard[0] === shard[0] && other.shard[1] === shard[1],
    );
    if (taken) return [CLOSE.invalidShard, "Invalid shard."];
    if (((d.intents ?? 0) & MESSAGE_CONTENT_INTENT) !== 0 && !this.world.messageContentAllowed)
      return [CLOSE.disallowedIntents, "Disallowed intent(s)."];
    return undefined;
  }

  private identify(session: Session, d: IdentifyData): void {
    const refusal = this.refusalOf(session, d);
    const shard = shardOfIdentify(d);
    if (refusal !== undefined || shard === undefined) {
      const [code, reason] = refusal ?? [CLOSE.invalidShard, "Invalid shard."];
      this.refused.push({ code, reason, shard: d.shard });
      session.socket.close(code, reason);
      return;
    }
    const intents = d.intents ?? 0;
    session.intents = intents;
    session.shard = shard;
    session.identified = true;
    const origin = this.world.origin.replace(/^http/, "ws");
    const guilds = [...this.world.guilds.keys()].filter((id) => shardOf(id, shard[1]) === shard[0]);
    this.send(session, "READY", {
      v: 10,
      user: { ...this.world.botUser, verified: true, mfa_enabled: false, flags: 0 },
      guilds: guilds.map((id) => ({ id, unavailable: true })),
      session_id: snowflake(),
      resume_gateway_url: `${origin}/gateway`,
      shard: [...shard],
      application: { id: this.world.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      user_settings: {},
      geo_ordered_rtc_regions: [],
    });
    for (const id of guilds) this.send(session, "GUILD_CREATE", guildCreate(this.world, id));
    const connected = this.connected;
    const [due, waiting] = partition(this.readyWaiters, (waiter) => waiter.shards <= connected);
    this.readyWaiters = waiting;
    for (const waiter of due) waiter.resolve();
  }

  private send(session: Session, event: string, data: unknown): void {
    session.sequence += 1;
    session.socket.send(JSON.stringify({ op: OP.dispatch, t: event, s: session.sequence, d: data }));
  }
}

interface IdentifyData {
  token?: string;
  intents?: number;
  shard?: unknown;
}

/** The shard IDENTIFY names (`[0, 1]` when it names none), or undefined when it names an impossible one. */
function shardOfIdentify(d: IdentifyData): ShardPair | undefined {
  return d.shard === undefined ? [0, 1] : validShard(d.shard);
}

/** `[id, count]` with whole numbers, `count` at least 1 and `id` below it; undefined otherwise. */
function validShard(shard: unknown): ShardPair | undefined {
  if (!Array.isArray(shard) || shard.length !== 2) return undefined;
  const [id, count] = shard as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return undefined;
  const [shardId, shardCount] = [id as number, count as number];
  return shardCount >= 1 && shardId >= 0 && shardId < shardCount ? [shardId, shardCount] : undefined;
}

/** The guild an event belongs to: a guild's own `id` for GUILD_* about the guild itself, else `guild_id`. */
function guildOf(event: string, data: unknown): string | undefined {
  const fields = (data ?? {}) as { id?: unknown; guild_id?: unknown };
  const id = event === "GUILD_CREATE" || event === "GUILD_UPDATE" ? fields.id : fields.guild_id;
  return typeof id === "string" ? id : undefined;
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
