import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * Slack's side of Socket Mode: `apps.connections.open` hands out a `ws://…/socket` URL, the server says
 * `hello`, then sends envelopes (`slash_commands`, `events_api`, `interactive`) that the app acks with
 * `{envelope_id, payload}`.
 */
export class FakeSocketMode {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly pending = new Map<string, (payload: unknown) => void>();
  private connectedWaiters: (() => void)[] = [];

  constructor() {
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (message.envelope_id) this.pending.get(message.envelope_id)?.(message.payload);
      });
      socket.send(JSON.stringify({ type: "hello", num_connections: 1, debug_info: { host: "fake" } }));
      for (const waiter of this.connectedWaiters.splice(0)) waiter();
    });
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(req, socket, head, (ws) => this.server.emit("connection", ws, req));
  }

  /** Resolves once an app is connected. */
  connected(): Promise<void> {
    if (this.sockets.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /** Sends one envelope to a connected app and resolves with its ack's payload. */
  async send(
    type: "slash_commands" | "events_api" | "interactive",
    payload: Record<string, unknown>,
    retry?: { attempt: number },
  ): Promise<unknown> {
    await this.connected();
    const [socket] = this.sockets;
    if (!socket) throw new Error("no Socket Mode connection");
    const envelopeId = randomUUID();
    const acked = new Promise<unknown>((resolve) => this.pending.set(envelopeId, resolve));
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== "events_api",
        ...(retry ? { retry_attempt: retry.attempt, retry_reason: "timeout" } : {}),
      }),
    );
    return acked;
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
    this.server.close();
  }
}
