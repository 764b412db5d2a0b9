import { validateCommands } from "./commands.js";
import { DiscordHttpError, unknownChannel, unknownMessage } from "./http.js";
import {
  createFollowup,
  editWebhookMessage,
  interactionByToken,
  interactionCallback,
  webhookMessage,
} from "./interaction-routes.js";
import { OAUTH2_ROUTES } from "./oauth2-routes.js";
import {
  announce,
  botMessage,
  liveMessage,
  noContent,
  ok,
  param,
  payload,
  type Route,
  type RouteAnswer,
  type RouteContext,
  requireBotIn,
} from "./route-helpers.js";
import { snowflake } from "./snowflake.js";
import type { FakeMessage } from "./types.js";

export type { Route, RouteAnswer, RouteContext } from "./route-helpers.js";

async function createChannelMessage(ctx: RouteContext): Promise<RouteAnswer> {
  const body = payload(ctx);
  const channelId = param(ctx, 0);
  requireBotIn(ctx, channelId);
  const reference = body.message_reference as { message_id?: string } | undefined;
  const referenced = reference?.message_id ? ctx.world.messages.get(reference.message_id) : undefined;
  const message = botMessage(ctx, channelId, {
    ...(referenced
      ? {
          type: 19,
          message_reference: {
            message_id: referenced.id,
            channel_id: referenced.channel_id,
            ...(referenced.guild_id ? { guild_id: referenced.guild_id } : {}),
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
  requireBotIn(ctx, param(ctx, 0));
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
  // Discord has no thread in a thread.
  if (ctx.world.channels.get(message.channel_id)?.type === 11)
    throw new DiscordHttpError(400, 50024, "Cannot execute action on this channel type");
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
    guild_id: ctx.world.channels.get(message.channel_id)?.guild_id ?? ctx.world.guildId,
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
        shards: world.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      }),
  },
  ...OAUTH2_ROUTES,
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
        // GATEWAY_MESSAGE_CONTENT (1 << 19): the Message Content Intent switched on in the developer portal.
        flags: world.messageContentAllowed ? 1 << 19 : 0,
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
      requireBotIn(ctx, channel.id);
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
