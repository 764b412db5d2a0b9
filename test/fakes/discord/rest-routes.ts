import { validateCommands } from "./commands.js";
import type { FakeGateway } from "./gateway.js";
import {
  DiscordHttpError,
  invalidWebhookToken,
  unknownChannel,
  unknownMessage,
  unknownWebhook,
} from "./http.js";
import { messageCreate } from "./payloads.js";
import { snowflake } from "./snowflake.js";
import type { FakeWorld } from "./state.js";
import type { FakeInteraction, FakeMessage, RecordedRequest } from "./types.js";

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

const CALLBACK = {
  pong: 1,
  message: 4,
  deferredMessage: 5,
  deferredUpdate: 6,
  updateMessage: 7,
  autocomplete: 8,
  modal: 9,
} as const;

/** Discord gives 3 seconds for the first response to an interaction. */
const FIRST_RESPONSE_MS = 3_000;

const ok = (body: unknown): RouteAnswer => ({ status: 200, body });
const noContent = (): RouteAnswer => ({ status: 204 });
const payload = (ctx: RouteContext) => (ctx.request.json ?? {}) as Record<string, unknown>;

function param(ctx: RouteContext, index: number): string {
  return ctx.params[index] ?? "";
}

function liveMessage(world: FakeWorld, id: string): FakeMessage {
  const message = world.messages.get(id);
  if (message === undefined || message.deleted) throw unknownMessage();
  return message;
}

function interactionByToken(ctx: RouteContext): FakeInteraction {
  const interaction = ctx.world.interactions.get(param(ctx, 1));
  if (interaction === undefined || param(ctx, 0) !== ctx.world.applicationId) throw unknownWebhook();
  if (interaction.expired) throw invalidWebhookToken();
  return interaction;
}

function webhookMessage(ctx: RouteContext, interaction: FakeInteraction, id: string): FakeMessage {
  const messageId = id === "@original" ? interaction.originalId : id;
  if (messageId === undefined) throw unknownWebhook();
  if (id !== "@original" && !interaction.followupIds.includes(id) && id !== interaction.originalId) {
    throw unknownMessage();
  }
  return liveMessage(ctx.world, messageId);
}

function botMessage(ctx: RouteContext, channelId: string, fields: Partial<FakeMessage>): FakeMessage {
  if (!ctx.world.channels.has(channelId)) throw unknownChannel();
  return ctx.world.newMessage(channelId, ctx.world.botUser, fields);
}

function announce(ctx: RouteContext, message: FakeMessage): void {
  ctx.gateway.dispatch("MESSAGE_CREATE", messageCreate(ctx.world, message, ctx.gateway.messageContentIntent));
}

async function interactionCallback(ctx: RouteContext): Promise<RouteAnswer> {
  const { world } = ctx;
  const interaction = world.interactions.get(param(ctx, 1));
  if (interaction === undefined || interaction.id !== param(ctx, 0)) {
    throw new DiscordHttpError(404, 10062, "Unknown interaction");
  }
  if (interaction.callbackType !== undefined) {
    throw new DiscordHttpError(400, 40060, "Interaction has already been acknowledged.");
  }
  if (Date.now() - interaction.createdAt > FIRST_RESPONSE_MS) {
    throw new DiscordHttpError(404, 10062, "Unknown interaction");
  }
  const body = payload(ctx);
  const type = body.type as number;
  const data = (body.data ?? {}) as Record<string, unknown>;
  const channelId = interaction.payload.channel_id as string;
  const flags = typeof data.flags === "number" ? data.flags : 0;
  const ephemeral = (flags & 64) !== 0;
  const fromInteraction = {
    webhook_id: world.applicationId,
    application_id: world.applicationId,
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type,
      user: (interaction.payload.member as { user: unknown }).user,
      authorizing_integration_owners: { "0": world.guildId },
    },
  };
  let message: FakeMessage | undefined;
  if (type === CALLBACK.message) {
    message = botMessage(ctx, channelId, { ...fromInteraction, flags: flags & 64 });
    await world.applyPayload(message, data, ctx.request, {
      edit: false,
      sizeLimit: interaction.attachmentSizeLimit,
    });
    interaction.originalId = message.id;
  } else if (type === CALLBACK.deferredMessage) {
    message = botMessage(ctx, channelId, { ...fromInteraction, flags: world.loadingFlag(ephemeral) });
    message.history.push({ content: "", attachments: [], components: [] });
    interaction.originalId = message.id;
  } else if (type === CALLBACK.deferredUpdate || type === CALLBACK.updateMessage) {
    const target = (interaction.payload.message as { id?: string } | undefined)?.id;
    if (target === undefined) throw new DiscordHttpError(400, 50035, "Invalid Form Body");
    message = liveMessage(world, target);
    if (type === CALLBACK.updateMessage) {
      await world.applyPayload(message, data, ctx.request, {
        edit: true,
        sizeLimit: interaction.attachmentSizeLimit,
      });
    }
    interaction.originalId = message.id;
  } else if (type !== CALLBACK.modal && type !== CALLBACK.autocomplete && type !== CALLBACK.pong) {
    throw new DiscordHttpError(400, 50035, "Invalid Form Body", {
      type: { _errors: [{ message: "Invalid type" }] },
    });
  }
  interaction.callbackType = type;
  interaction.callbackData = data;
  if (message && (type === CALLBACK.message || type === CALLBACK.deferredMessage) && !ephemeral)
    announce(ctx, message);
  if (ctx.request.query.with_response !== "true") return noContent();
  return ok({
    interaction: {
      id: interaction.id,
      type: interaction.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: type === CALLBACK.deferredMessage,
      response_message_ephemeral: ephemeral,
    },
    resource: { type, ...(message ? { message: world.wire(message) } : {}) },
  });
}

async function editWebhookMessage(ctx: RouteContext): Promise<RouteAnswer> {
  const interaction = interactionByToken(ctx);
  const message = webhookMessage(ctx, interaction, param(ctx, 2));
  await ctx.world.applyPayload(message, payload(ctx), ctx.request, {
    edit: true,
    sizeLimit: interaction.attachmentSizeLimit,
  });
  return ok(ctx.world.wire(message));
}

async function createFollowup(ctx: RouteContext): Promise<RouteAnswer> {
  const interaction = interactionByToken(ctx);
  if (interaction.callbackType === undefined) throw unknownWebhook();
  const body = payload(ctx);
  const flags = typeof body.flags === "number" ? body.flags & 64 : 0;
  const message = botMessage(ctx, interaction.payload.channel_id as string, {
    webhook_id: ctx.world.applicationId,
    application_id: ctx.world.applicationId,
    flags,
  });
  await ctx.world.applyPayload(message, body, ctx.request, {
    edit: false,
    sizeLimit: interaction.attachmentSizeLimit,
  });
  interaction.followupIds.push(message.id);
  if (flags === 0) announce(ctx, message);
  return ctx.request.query.wait === "false" ? noContent() : ok(ctx.world.wire(message));
}

async function createChannelMessage(ctx: RouteContext): Promise<RouteAnswer> {
  const body = payload(ctx);
  const channelId = param(ctx, 0);
  const reference = body.message_reference as { message_id?: string } | undefined;
  const referenced = reference?.message_id ? ctx.world.messages.get(reference.message_id) : undefined;
  const message = botMessage(ctx, channelId, {
    ...(referenced
      ? {
          type: 19,
          message_reference: {
            message_id: referenced.id,
            channel_id: referenced.channel_id,
            guild_id: ctx.world.guildId,
          },
          referenced_message: referenced,
        }
      : {}),
  });
  await ctx.world.applyPayload(message, body, ctx.request, {
    edit: false,
    sizeLimit: ctx.world.attachmentSizeLimit,
  });
  announce(ctx, message);
  return ok(ctx.world.wire(message));
}

function channelMessage(ctx: RouteContext): FakeMessage {
  const message = liveMessage(ctx.world, param(ctx, 1));
  // Ephemeral messages exist only for their interaction: the bot token cannot see them.
  if (message.channel_id !== param(ctx, 0) || ctx.world.isEphemeral(message)) throw unknownMessage();
  return message;
}

async function editChannelMessage(ctx: RouteContext): Promise<RouteAnswer> {
  const message = channelMessage(ctx);
  if (message.author.id !== ctx.world.botUser.id) {
    throw new DiscordHttpError(403, 50005, "Cannot edit a message authored by another user");
  }
  await ctx.world.applyPayload(message, payload(ctx), ctx.request, {
    edit: true,
    sizeLimit: ctx.world.attachmentSizeLimit,
  });
  return ok(ctx.world.wire(message));
}

function startThread(ctx: RouteContext): RouteAnswer {
  const message = channelMessage(ctx);
  if (message.thread)
    throw new DiscordHttpError(400, 160004, "A thread has already been created for this message");
  const body = payload(ctx);
  const name = typeof body.name === "string" ? body.name : "";
  if (name.length < 1 || name.length > 100) {
    throw new DiscordHttpError(400, 50035, "Invalid Form Body", {
      name: { _errors: [{ message: "Must be between 1 and 100 in length." }] },
    });
  }
  // The thread's id is the message's id.
  const thread = {
    id: message.id,
    type: 11,
    guild_id: ctx.world.guildId,
    parent_id: message.channel_id,
    name,
    owner_id: ctx.world.botUser.id,
    member_count: 1,
    message_count: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration:
        typeof body.auto_archive_duration === "number" ? body.auto_archive_duration : 1440,
      locked: false,
      archive_timestamp: new Date().toISOString(),
    },
  };
  ctx.world.channels.set(thread.id, thread);
  message.thread = thread;
  ctx.gateway.dispatch("THREAD_CREATE", { ...thread, newly_created: true });
  return { status: 201, body: thread };
}

function getCommands(ctx: RouteContext, key: string): RouteAnswer {
  checkApplication(ctx);
  return ok(ctx.world.commands.get(key) ?? []);
}

function putCommands(ctx: RouteContext, key: string): RouteAnswer {
  checkApplication(ctx);
  const commands = validateCommands(ctx.request.json).map((command) => ({
    id: ctx.world.commands.get(key)?.find((old) => old.name === command.name)?.id ?? snowflake(),
    application_id: ctx.world.applicationId,
    version: snowflake(),
    default_member_permissions: null,
    type: 1,
    nsfw: false,
    ...command,
    ...(key === "global" ? {} : { guild_id: key }),
  }));
  ctx.world.commands.set(key, commands);
  return ok(commands);
}

function checkApplication(ctx: RouteContext): void {
  if (param(ctx, 0) !== ctx.world.applicationId) throw new DiscordHttpError(403, 50001, "Missing Access");
}

export const ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/gateway\/bot$/,
    bot: true,
    handler: ({ world }) =>
      ok({
        url: `${world.origin.replace(/^http/, "ws")}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      }),
  },
  {
    method: "GET",
    pattern: /^\/users\/@me$/,
    bot: true,
    handler: ({ world }) => ok({ ...world.botUser, verified: true, flags: 0 }),
  },
  {
    method: "GET",
    pattern: /^\/applications\/@me$/,
    bot: true,
    handler: ({ world }) =>
      ok({
        id: world.applicationId,
        name: "imagine",
        description: "",
        bot_public: true,
        flags: 0,
        bot: world.botUser,
      }),
  },
  {
    method: "PUT",
    pattern: /^\/applications\/(\d+)\/commands$/,
    bot: true,
    handler: (ctx) => putCommands(ctx, "global"),
  },
  {
    method: "GET",
    pattern: /^\/applications\/(\d+)\/commands$/,
    bot: true,
    handler: (ctx) => getCommands(ctx, "global"),
  },
  {
    method: "PUT",
    pattern: /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/,
    bot: true,
    handler: (ctx) => putCommands(ctx, param(ctx, 1)),
  },
  {
    method: "GET",
    pattern: /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/,
    bot: true,
    handler: (ctx) => getCommands(ctx, param(ctx, 1)),
  },
  {
    method: "POST",
    pattern: /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
    bot: false,
    handler: interactionCallback,
  },
  {
    method: "GET",
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
    bot: false,
    handler: (ctx) => ok(ctx.world.wire(webhookMessage(ctx, interactionByToken(ctx), param(ctx, 2)))),
  },
  {
    method: "PATCH",
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
    bot: false,
    handler: editWebhookMessage,
  },
  {
    method: "DELETE",
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
    bot: false,
    handler: (ctx) => {
      webhookMessage(ctx, interactionByToken(ctx), param(ctx, 2)).deleted = true;
      return noContent();
    },
  },
  { method: "POST", pattern: /^\/webhooks\/(\d+)\/([^/]+)$/, bot: false, handler: createFollowup },
  {
    method: "GET",
    pattern: /^\/channels\/(\d+)$/,
    bot: true,
    handler: (ctx) => {
      const channel = ctx.world.channels.get(param(ctx, 0));
      if (channel === undefined) throw unknownChannel();
      return ok(channel);
    },
  },
  { method: "POST", pattern: /^\/channels\/(\d+)\/messages$/, bot: true, handler: createChannelMessage },
  {
    method: "GET",
    pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/,
    bot: true,
    handler: (ctx) => ok(ctx.world.wire(channelMessage(ctx))),
  },
  {
    method: "PATCH",
    pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/,
    bot: true,
    handler: editChannelMessage,
  },
  {
    method: "DELETE",
    pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/,
    bot: true,
    handler: (ctx) => {
      channelMessage(ctx).deleted = true;
      return noContent();
    },
  },
  {
    method: "POST",
    pattern: /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/,
    bot: true,
    handler: startThread,
  },
];
