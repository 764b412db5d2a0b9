import type { FakeGateway } from "./gateway.js";
import { DiscordHttpError, unknownChannel, unknownMessage } from "./http.js";
import { messageCreate } from "./payloads.js";
import type { FakeWorld } from "./state.js";
import type { FakeMessage, RecordedRequest } from "./types.js";

export interface RouteContext {
  world: FakeWorld;
  gateway: FakeGateway;
  request: RecordedRequest;
  params: string[];
}

export interface RouteAnswer {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Needs `Authorization: Bot <token>`; interaction and webhook routes authenticate by their token. */
  bot: boolean;
  handler: (ctx: RouteContext) => Promise<RouteAnswer> | RouteAnswer;
}

export const ok = (body: unknown): RouteAnswer => ({ status: 200, body });
export const noContent = (): RouteAnswer => ({ status: 204 });
export const payload = (ctx: RouteContext) => (ctx.request.json ?? {}) as Record<string, unknown>;

export function param(ctx: RouteContext, index: number): string {
  return ctx.params[index] ?? "";
}

export function liveMessage(world: FakeWorld, id: string): FakeMessage {
  const message = world.messages.get(id);
  if (message === undefined || message.deleted) throw unknownMessage();
  return message;
}

/** The bot token cannot read or write in a channel the bot user is not in (a DM reached by a user install). */
export function requireBotIn(ctx: RouteContext, channelId: string): void {
  if (ctx.world.botAbsent.has(channelId)) throw new DiscordHttpError(403, 50001, "Missing Access");
}

export function botMessage(ctx: RouteContext, channelId: string, fields: Partial<FakeMessage>): FakeMessage {
  if (!ctx.world.channels.has(channelId)) throw unknownChannel();
  return ctx.world.newMessage(channelId, ctx.world.botUser, fields);
}

/** A message the bot would see on its gateway: not in a DM or group DM it is not in. */
export function announce(ctx: RouteContext, message: FakeMessage): void {
  if (ctx.world.botAbsent.has(message.channel_id)) return;
  ctx.gateway.dispatch("MESSAGE_CREATE", messageCreate(ctx.world, message, ctx.gateway.messageContentIntent));
}
