import { DiscordHttpError, invalidWebhookToken, unknownMessage, unknownWebhook } from "./http.js";
import { modalComponentProblems } from "./modal-components.js";
import {
  announce,
  botMessage,
  liveMessage,
  noContent,
  ok,
  param,
  payload,
  type RouteAnswer,
  type RouteContext,
} from "./route-helpers.js";
import type { FakeInteraction, FakeMessage } from "./types.js";

const CALLBACK = {
  pong: 1,
  message: 4,
  deferredMessage: 5,
  deferredUpdate: 6,
  updateMessage: 7,
  autocomplete: 8,
  modal: 9,
} as const;

/** A modal answers a command or a component only (never a modal's submit), with Discord's limits on its fields. */
function checkModal(interaction: FakeInteraction, data: Record<string, unknown>): void {
  const problems: Record<string, unknown> = {};
  const error = (message: string) => ({ _errors: [{ message }] });
  if (interaction.type === 5) problems.type = error("A modal submit cannot be answered with a modal.");
  const title = typeof data.title === "string" ? data.title : "";
  if (title.length < 1 || title.length > 45) problems.title = error("Must be between 1 and 45 in length.");
  const customId = typeof data.custom_id === "string" ? data.custom_id : "";
  if (customId.length < 1 || customId.length > 100)
    problems.custom_id = error("Must be between 1 and 100 in length.");
  const rows = Array.isArray(data.components) ? data.components : [];
  if (rows.length < 1 || rows.length > 5) problems.components = error("Must be between 1 and 5 in length.");
  else if (Object.keys(modalComponentProblems(rows)).length > 0)
    problems.components = modalComponentProblems(rows);
  if (Object.keys(problems).length > 0) throw new DiscordHttpError(400, 50035, "Invalid Form Body", problems);
}

/** Discord gives 3 seconds for the first response to an interaction. */
const FIRST_RESPONSE_MS = 3_000;

export function interactionByToken(ctx: RouteContext): FakeInteraction {
  const interaction = ctx.world.interactions.get(param(ctx, 1));
  if (interaction === undefined || param(ctx, 0) !== ctx.world.applicationId) throw unknownWebhook();
  if (interaction.expired) throw invalidWebhookToken();
  return interaction;
}

export function webhookMessage(ctx: RouteContext, interaction: FakeInteraction, id: string): FakeMessage {
  const messageId = id === "@original" ? interaction.originalId : id;
  if (messageId === undefined) throw unknownWebhook();
  if (id !== "@original" && !interaction.followupIds.includes(id) && id !== interaction.originalId) {
    throw unknownMessage();
  }
  return liveMessage(ctx.world, messageId);
}

export async function interactionCallback(ctx: RouteContext): Promise<RouteAnswer> {
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
  if (world.holdingCallbacks) {
    await new Promise<void>((resolve) => {
      interaction.heldCallback = resolve;
    });
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
      user: interaction.payload.user ?? (interaction.payload.member as { user: unknown }).user,
      authorizing_integration_owners: interaction.payload.authorizing_integration_owners,
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
  } else if (type === CALLBACK.modal) {
    checkModal(interaction, data);
  } else if (type !== CALLBACK.autocomplete && type !== CALLBACK.pong) {
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

export async function editWebhookMessage(ctx: RouteContext): Promise<RouteAnswer> {
  const interaction = interactionByToken(ctx);
  const message = webhookMessage(ctx, interaction, param(ctx, 2));
  await ctx.world.applyPayload(message, payload(ctx), ctx.request, {
    edit: true,
    sizeLimit: interaction.attachmentSizeLimit,
  });
  return ok(ctx.world.wire(message));
}

export async function createFollowup(ctx: RouteContext): Promise<RouteAnswer> {
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
