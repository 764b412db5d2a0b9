import type { Message } from "discord.js";

/** The job id of a bot result message, read from its buttons (`reroll:<jobId>`). */
export function resultJobId(message: Message): string | undefined {
  if (message.author.id !== message.client.user.id) return undefined;
  for (const row of message.components) {
    const data = row.toJSON() as { components?: { custom_id?: string }[] };
    for (const component of data.components ?? []) {
      const match = /^reroll:(.+)$/.exec(component.custom_id ?? "");
      if (match?.[1]) return match[1];
    }
  }
  return undefined;
}
