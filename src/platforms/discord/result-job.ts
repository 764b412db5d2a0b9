import type { Message } from "discord.js";
import { parseActionValue } from "../../render/result-actions.js";

/** The job id of a bot result message, read from its Re-roll button (`reroll:<jobId>`). */
export function resultJobId(message: Message): string | undefined {
  if (message.author.id !== message.client.user.id) return undefined;
  for (const row of message.components) {
    const data = row.toJSON() as { components?: { custom_id?: string }[] };
    for (const component of data.components ?? []) {
      const parsed = parseActionValue(component.custom_id);
      if (parsed?.action === "reroll") return parsed.jobId;
    }
  }
  return undefined;
}
