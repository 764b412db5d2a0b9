import { ApplicationCommandOptionType, type CommandInteractionOption } from "discord.js";
import type { AttachmentLike } from "../download.js";

/** Raw option values keyed by name, attachments as `{ url, name, size, contentType }` (what commands/ parses). */
export function rawOptions(options: readonly CommandInteractionOption[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const option of options) {
    if (option.type === ApplicationCommandOptionType.Attachment && option.attachment) {
      const { url, name, size, contentType } = option.attachment;
      raw[option.name] = { url, name, size, contentType };
    } else if (option.value !== undefined) {
      raw[option.name] = option.value;
    }
  }
  return raw;
}

export function asAttachment(value: unknown): AttachmentLike | undefined {
  return typeof value === "object" && value !== null && "url" in value
    ? (value as AttachmentLike)
    : undefined;
}
