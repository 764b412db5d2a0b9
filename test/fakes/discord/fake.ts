import { randomBytes } from "node:crypto";
import { waitFor } from "../../helpers/wait-for.js";
import { wallClock } from "../clock.js";
import { findSelect } from "./components-v2.js";
import type { FakeDiscord, Upload } from "./fake-api.js";
import { checkSubmittedUploads } from "./modal-components.js";
import { interactionBase, messageCreate } from "./payloads.js";
import { type FakeDiscordServerOptions, startFakeDiscordServer } from "./server.js";
import { snowflake } from "./snowflake.js";
import type { FakeAttachment, FakeInteraction, FakeUser } from "./types.js";

export type { FakeDiscord, Upload } from "./fake-api.js";
export type { FakeAttachment, FakeInteraction, FakeMessage, FakeUser, RecordedRequest } from "./types.js";

const OPTION_TYPE = { string: 3, integer: 4, boolean: 5, attachment: 11 } as const;
const INTERACTION = { command: 2, component: 3, autocomplete: 4, modal: 5 } as const;

export async function startFakeDiscord(options: FakeDiscordServerOptions = {}): Promise<FakeDiscord> {
  const server = await startFakeDiscordServer(options);
  const { world, gateway } = server;

  /** `ageNextInteraction`: how long ago the next interaction was made. */
  let nextAge = 0;
  const interact = (
    type: number,
    data: Record<string, unknown>,
    by: FakeUser,
    extra: Record<string, unknown> = {},
    channelId = world.channelId,
  ): FakeInteraction => {
    const id = snowflake(Date.now() - nextAge);
    nextAge = 0;
    const token = `aW50ZXJhY3Rpb246${id}${randomBytes(48).toString("base64url")}`;
    const payload = {
      ...interactionBase(world, id, token, type, by, channelId, world.attachmentSizeLimit),
      data,
      ...extra,
    };
    const interaction: FakeInteraction = {
      id,
      token,
      type,
      payload,
      createdAt: wallClock(),
      followupIds: [],
      expired: false,
      attachmentSizeLimit: world.attachmentSizeLimit,
    };
    world.interactions.set(token, interaction);
    gateway.dispatch("INTERACTION_CREATE", payload);
    return interaction;
  };

  const commandId = (name: string, type: number): string => {
    for (const commands of world.commands.values()) {
      const found = commands.find((command) => command.name === name && (command.type ?? 1) === type);
      if (typeof found?.id === "string") return found.id;
    }
    return snowflake();
  };

  const upload = (file: Upload, channelId = world.channelId) =>
    world.storeAttachment(channelId, file.filename, file.bytes, file.contentType);

  const fake: FakeDiscord = {
    url: `${server.origin}/api`,
    origin: server.origin,
    token: world.token,
    world,
    gateway,
    requests: world.requests,
    applicationId: world.applicationId,
    guildId: world.guildId,
    channelId: world.channelId,
    user: world.user,
    otherUser: world.otherUser,
    botUser: world.botUser,
    waitForBot: (shards) => gateway.waitForReady(shards),
    addGuild: (onShard) => world.addGuild(onShard),
    gatewayIdentify: () =>
      gateway.received.filter((payload) => payload.op === 2).at(-1)?.d as { intents?: number } | undefined,
    upload,
    async slash(name, options = {}, by = world.user, channelId = world.channelId) {
      const attachments: Record<string, FakeAttachment> = {};
      const wireOptions = [];
      for (const [optionName, value] of Object.entries(options)) {
        if (typeof value === "object") {
          const attachment = await upload(value);
          attachments[attachment.id] = attachment;
          wireOptions.push({ name: optionName, type: OPTION_TYPE.attachment, value: attachment.id });
        } else {
          const type =
            typeof value === "number"
              ? OPTION_TYPE.integer
              : typeof value === "boolean"
                ? OPTION_TYPE.boolean
                : OPTION_TYPE.string;
          wireOptions.push({ name: optionName, type, value });
        }
      }
      const data = {
        id: commandId(name, 1),
        name,
        type: 1,
        ...(world.contextOf(channelId) === 0
          ? { guild_id: world.channels.get(channelId)?.guild_id ?? world.guildId }
          : {}),
        options: wireOptions,
        ...(Object.keys(attachments).length > 0 ? { resolved: { attachments } } : {}),
      };
      return interact(INTERACTION.command, data, by, {}, channelId);
    },
    privateChannel: (kind = "dm") => world.openPrivateChannel(kind),
    slashInDm(name, options, where = {}) {
      const channelId = world.openPrivateChannel(where.group ? "group-dm" : "dm");
      return fake.slash(name, options, where.by ?? world.user, channelId);
    },
    async autocomplete(name, focused, value, by = world.user) {
      const data = {
        id: commandId(name, 1),
        name,
        type: 1,
        options: [{ name: focused, type: OPTION_TYPE.string, value, focused: true }],
      };
      return interact(INTERACTION.autocomplete, data, by);
    },
    async messageCommand(name, target, by = world.user) {
      const data = {
        id: commandId(name, 3),
        name,
        type: 3,
        target_id: target.id,
        resolved: { messages: { [target.id]: world.wire(target) } },
      };
      return interact(INTERACTION.command, data, by, {}, target.channel_id);
    },
    async submitModal(customId, fields, by = world.user, from) {
      const uploads = Object.entries(fields).flatMap(([id, value]) =>
        typeof value === "string" ? [] : [[id, value.length]],
      );
      if (uploads.length > 0)
        checkSubmittedUploads(world.interactions.values(), customId, Object.fromEntries(uploads));
      const channelId =
        from === undefined || "channelId" in from ? (from?.channelId ?? world.channelId) : from.channel_id;
      const attachments: Record<string, FakeAttachment> = {};
      const components = [];
      for (const [fieldId, value] of Object.entries(fields)) {
        if (typeof value === "string") {
          components.push({ type: 1, components: [{ type: 4, custom_id: fieldId, value }] });
          continue;
        }
        const values: string[] = [];
        for (const file of value) {
          const attachment = await upload(file, channelId);
          attachments[attachment.id] = attachment;
          values.push(attachment.id);
        }
        components.push({ type: 18, component: { type: 19, custom_id: fieldId, values } });
      }
      const data = {
        custom_id: customId,
        components,
        ...(Object.keys(attachments).length > 0 ? { resolved: { attachments } } : {}),
      };
      if (from === undefined || "channelId" in from)
        return interact(INTERACTION.modal, data, by, {}, from?.channelId ?? world.channelId);
      return interact(INTERACTION.modal, data, by, { message: world.wire(from) }, from.channel_id);
    },
    async click(message, customId, by = world.user, from) {
      const metadata = message.interaction_metadata as
        | { authorizing_integration_owners?: Record<string, string> }
        | undefined;
      const owners = metadata?.authorizing_integration_owners;
      return interact(
        INTERACTION.component,
        { custom_id: customId, component_type: 2 },
        by,
        {
          message: world.wire(message),
          // A button carries the installs that authorized the message's interaction (a user install in a DM).
          ...(owners ? { authorizing_integration_owners: owners } : {}),
          ...(from ? { guild_id: from.guildId, authorizing_integration_owners: { "0": from.guildId } } : {}),
        },
        message.channel_id,
      );
    },
    async select(message, customId, value, by = world.user) {
      const select = findSelect(message.components, customId);
      if (!select?.options?.some((option) => option.value === value)) {
        throw new Error(`no select ${customId} offering ${value} on message ${message.id}`);
      }
      const data = { custom_id: customId, component_type: 3, values: [value] };
      return interact(INTERACTION.component, data, by, { message: world.wire(message) }, message.channel_id);
    },
    async say({
      content = "",
      files = [],
      replyTo,
      mention = false,
      channelId = world.channelId,
      by = world.user,
    }) {
      const attachments = [];
      for (const file of files) attachments.push(await upload(file, channelId));
      const text = mention ? `<@${world.botUser.id}> ${content}`.trim() : content;
      const message = world.newMessage(channelId, by, {
        content: text,
        attachments,
        mentions: mention ? [world.botUser] : [],
        ...(replyTo
          ? {
              type: 19,
              message_reference: {
                type: 0,
                message_id: replyTo.id,
                channel_id: replyTo.channel_id,
                ...(replyTo.guild_id ? { guild_id: replyTo.guild_id } : {}),
              },
              referenced_message: replyTo,
            }
          : {}),
      });
      gateway.dispatch("MESSAGE_CREATE", messageCreate(world, message, gateway.messageContentIntent));
      return message;
    },
    message(id) {
      const message = world.messages.get(id);
      if (message === undefined) throw new Error(`fake Discord: no message ${id}`);
      return message;
    },
    original: (interaction) =>
      interaction.originalId === undefined ? undefined : world.messages.get(interaction.originalId),
    expireToken(interaction) {
      interaction.expired = true;
    },
    holdCallbacks(on = true) {
      world.holdingCallbacks = on;
    },
    releaseCallback(interaction) {
      const release = interaction.heldCallback;
      if (release === undefined) throw new Error("fake Discord: that interaction's callback is not held");
      delete interaction.heldCallback;
      release();
    },
    ageNextInteraction(ms) {
      nextAge = ms;
    },
    rateLimit({ times, retryAfterSeconds, match, global = false }) {
      world.rateLimits.push({ remaining: times, retryAfterSeconds, global, match });
    },
    fail({ times = 1, match, status, code, message }) {
      world.failures.push({ remaining: times, match, status, code, message });
    },
    setAttachmentSizeLimit(bytes) {
      world.attachmentSizeLimit = bytes;
    },
    waitFor: (check, timeoutMs, what = "a condition") => waitFor(`fake Discord: ${what}`, check, timeoutMs),
    close: () => server.close(),
  };
  return fake;
}
