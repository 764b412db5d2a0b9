import type { Message } from "discord.js";
import { parsePress } from "../../actions/registry.js";

/** The job id of a bot result message, read from its Re-roll button (`reroll:<jobId>`). */
export function resultJobId(message: Message): string | undefined {
  if (message.author.id !== message.client.user.id) return undefined;
  for (const row of message.components) {
    const data = row.toJSON() as { components?: { custom_id?: string }[] };
    for (const component of data.components ?? []) {
      const reroll = parsePress(component.custom_id, ["reroll"]);
      if (reroll !== undefined) return reroll.runId;
    }
  }
  return undefined;
}
