import { slotNames } from "../../../src/platforms/discord/commands/options.js";
import { allComponents, messageText } from "../../helpers/discord-result.js";
import type { FakeDiscord, FakeInteraction, FakeMessage } from "../discord/fake.js";
import { booleanValue, type CommandLine, LineRefusal, messageCommandNamed } from "./command-line.js";
import type { Place, Pressable, ShownMessage, ShownVersion, TryPlatform } from "./platform.js";

const EPHEMERAL = 1 << 6;
const MODAL = 9;
type Version = FakeMessage["history"][number];
type Value = string | number | boolean | { filename: string; bytes: Buffer; contentType: string };

interface Component {
  type?: number;
  label?: string;
  custom_id?: string;
  options?: { label?: string; value?: string }[];
  components?: Component[];
  component?: Component;
  accessory?: Component;
  title?: string;
}

/** Labels of a message's buttons and select options, in order (a gallery's select lists one per image). */
function labels(components: readonly unknown[]): string[] {
  return allComponents(components).flatMap((component) => {
    if (component.type === 3) return (component.options ?? []).map((option) => labelOf(option));
    return component.type === 2 ? [(component as Component).label ?? component.custom_id ?? "?"] : [];
  });
}
const labelOf = (option: { label?: string; value?: string }) =>
  (option as { label?: string }).label ?? option.value ?? "?";

/** Mentions as the client draws them: `<@id>` as @name, `<#id>` as the channel's name. */
function drawMentions(text: string, world: FakeDiscord["world"]): string {
  const people = [world.user, world.otherUser, world.botUser];
  return text
    .replace(/<@!?(\d+)>/g, (mention, id: string) => {
      const person = people.find((candidate) => candidate.id === id);
      return person ? `@${person.global_name ?? person.username}` : mention;
    })
    .replace(/<#(\d+)>/g, (mention, id: string) => {
      const name = world.channels.get(id)?.name;
      return name ? `#${name}` : mention;
    });
}

interface Embed {
  title?: string;
  description?: string;
  fields?: { name?: string; value?: string }[];
  footer?: { text?: string };
}

/** An embed as lines: its title, description, fields as `name: value`, footer. */
export function embedLines(embed: Embed): string[] {
  return [
    embed.title ?? "",
    embed.description ?? "",
    ...(embed.fields ?? []).map((field) => `${field.name ?? ""}: ${field.value ?? ""}`),
    embed.footer?.text ?? "",
  ].filter((line) => line !== "");
}

function shownVersion(version: Version, world: FakeDiscord["world"]): ShownVersion {
  const embeds = ((version.embeds ?? []) as Embed[]).flatMap(embedLines);
  const text = drawMentions(
    [messageText(version), ...embeds].filter((line) => line !== "").join("\n"),
    world,
  );
  return {
    text: text === "" ? "… imagine is thinking" : text,
    buttons: labels(version.components),
    files: version.attachments,
  };
}

/** Text inputs of a modal, however nested (rows, or Discord's labels holding one component). */
function textInputs(components: readonly Component[]): string[] {
  return components.flatMap((component) => [
    ...(component.type === 4 && component.custom_id ? [component.custom_id] : []),
    ...textInputs([...(component.components ?? []), ...(component.component ? [component.component] : [])]),
  ]);
}

/** Integer, boolean and file options as Discord's client sends them: typed, files uploaded first. */
async function optionValue(
  type: string,
  name: string,
  raw: string,
  file: (path: string) => Promise<{ name: string; bytes: Buffer; contentType: string }>,
): Promise<Value> {
  if (type === "integer") {
    if (!/^-?\d+$/.test(raw))
      throw new LineRefusal(`${name} takes a whole number (Discord's box refuses "${raw}").`);
    return Number(raw);
  }
  if (type === "boolean") return booleanValue(name, raw);
  if (type === "attachment") {
    const local = await file(raw);
    return { filename: local.name, bytes: local.bytes, contentType: local.contentType };
  }
  return raw;
}

/** The fake Discord as the console's person (Alice in #general) sees and uses it. */
export function discordPlatform(
  fake: FakeDiscord,
  file: (path: string) => Promise<{ name: string; bytes: Buffer; contentType: string }>,
): Omit<TryPlatform, "ready"> {
  const { world } = fake;
  const sent: FakeInteraction[] = [];
  const answeredForms = new Set<FakeInteraction>();
  const general: Place = { id: world.channelId, name: "#general" };
  const placeOf = (channelId: string): string => {
    const channel = world.channels.get(channelId);
    if (channel === undefined) return channelId;
    return channel.type === 0 ? `#${channel.name ?? channelId}` : `thread “${channel.name ?? channelId}”`;
  };
  const track = (interaction: FakeInteraction) => {
    sent.push(interaction);
  };

  const pressables = (message: FakeMessage): Pressable[] =>
    allComponents(message.components).flatMap((component): Pressable[] => {
      const id = component.custom_id;
      if (component.type === 2 && id)
        return [
          {
            label: (component as Component).label ?? id,
            press: async () => track(await fake.click(message, id)),
          },
        ];
      if (component.type === 3 && id)
        return (component.options ?? []).map((option) => ({
          label: labelOf(option),
          press: async () => track(await fake.select(message, id, option.value ?? "")),
        }));
      return [];
    });

  return {
    name: "Discord",
    home: general,
    messages: () =>
      [...world.messages.values()].map(
        (message): ShownMessage => ({
          id: message.id,
          byBot: message.author.bot === true,
          author: message.author.global_name ?? message.author.username,
          where: placeOf(message.channel_id),
          onlyYou: (message.flags & EPHEMERAL) !== 0,
          deleted: message.deleted === true,
          versions:
            message.history.length > 0
              ? message.history.map((version) => shownVersion(version, world))
              : [
                  shownVersion(
                    {
                      content: message.content,
                      attachments: message.attachments.map((a) => a.filename),
                      components: message.components,
                      embeds: message.embeds,
                    },
                    world,
                  ),
                ],
          images: message.attachments
            .filter((attachment) => attachment.content_type.startsWith("image/"))
            .map((attachment) => ({
              id: attachment.id,
              name: attachment.filename,
              bytes: async () => {
                const stored = world.cdn.get(new URL(attachment.url).pathname);
                if (stored === undefined)
                  throw new Error(`the fake CDN no longer has ${attachment.filename}`);
                return stored.bytes;
              },
            })),
          pressables: message.deleted ? [] : pressables(message),
        }),
      ),
    async command(line: CommandLine, where: Place) {
      const options: Record<string, Value> = {};
      for (const [option, values] of line.values) {
        const names = slotNames(option);
        if (values.length > names.length)
          return `${option.name} can be given at most ${names.length} time${names.length === 1 ? "" : "s"} on Discord.`;
        for (const [index, raw] of values.entries())
          options[names[index] ?? option.name] = await optionValue(option.type, option.name, raw, file);
      }
      for (const option of line.command.options)
        if (option.required && !line.values.has(option))
          return `Discord's box will not send /${line.command.name} without ${option.name}: ${option.description}.`;
      track(await fake.slash(line.command.name, options, world.user, where.id));
      return undefined;
    },
    async messageCommand(name, target) {
      const message = world.messages.get(target.id);
      if (message === undefined) return `Discord has no message ${target.id}.`;
      track(await fake.messageCommand(messageCommandNamed(name).name, message));
      return undefined;
    },
    async say({ text, files, where, replyTo }) {
      const target = replyTo ? world.messages.get(replyTo.id) : undefined;
      await fake.say({
        content: text,
        files: files.map((local) => ({
          filename: local.name,
          bytes: local.bytes,
          contentType: local.contentType,
        })),
        mention: true,
        channelId: target?.channel_id ?? where.id,
        ...(target ? { replyTo: target } : {}),
      });
    },
    lastThread() {
      const threads = [...world.channels.values()].filter(
        (channel) => channel.type === 11 || channel.type === 12,
      );
      const thread = threads.at(-1);
      return thread === undefined
        ? undefined
        : { id: thread.id, name: placeOf(thread.id), parent: thread.id };
    },
    openForm() {
      const form = sent.findLast(
        (interaction) => interaction.callbackType === MODAL && !answeredForms.has(interaction),
      );
      if (form === undefined) return undefined;
      const data = (form.callbackData ?? {}) as Component;
      const fields = textInputs(data.components ?? []);
      return {
        title: data.title ?? "a form",
        async submit(text) {
          answeredForms.add(form);
          const message = form.payload.message as { id?: string } | undefined;
          const from = message?.id ? world.messages.get(message.id) : undefined;
          const answers = Object.fromEntries(fields.map((field, index) => [field, index === 0 ? text : ""]));
          const channelId = String(form.payload.channel_id ?? general.id);
          track(await fake.submitModal(data.custom_id ?? "", answers, world.user, from ?? { channelId }));
        },
      };
    },
    close: () => fake.close(),
  };
}
