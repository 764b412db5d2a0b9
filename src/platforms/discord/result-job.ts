import type { Message } from "discord.js";
import { parsePress } from "../../actions/registry.js";

/** A component as JSON: rows and containers hold others in `components`, a section its button in `accessory`. */
interface ComponentJson {
  custom_id?: string;
  components?: ComponentJson[];
  accessory?: ComponentJson;
}

/** Every custom id in a component tree, however deep (a gallery's buttons sit in a container's rows). */
function customIdsIn(component: ComponentJson): string[] {
  const nested = [...(component.components ?? []), ...(component.accessory ? [component.accessory] : [])];
  return [...(component.custom_id ? [component.custom_id] : []), ...nested.flatMap(customIdsIn)];
}

/** The job id of a bot result message, read from its Re-roll button (`reroll:<jobId>`), classic or gallery. */
export function resultJobId(message: Message): string | undefined {
  if (message.author.id !== message.client.user.id) return undefined;
  for (const component of message.components) {
    for (const id of customIdsIn(component.toJSON() as ComponentJson)) {
      const reroll = parsePress(id, ["reroll"]);
      if (reroll !== undefined) return reroll.runId;
    }
  }
  return undefined;
}
