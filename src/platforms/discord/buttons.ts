import {
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import type { Action } from "../../actions/action.js";
import { pressId } from "../../actions/press-id.js";
import { type ButtonPlace, offeredActions } from "../../actions/registry.js";

/** Discord takes at most 5 buttons in an action row: more actions start another row. */
const BUTTONS_IN_ROW = 5;

function buttonRows(
  where: Omit<ButtonPlace, "platform">,
  runId: string,
): APIActionRowComponent<APIButtonComponent>[] {
  const button = (action: Action): APIButtonComponent => ({
    type: ComponentType.Button,
    style: action.tone === "danger" ? ButtonStyle.Danger : ButtonStyle.Secondary,
    label: action.label,
    custom_id: pressId({ action: action.name, runId }),
  });
  const buttons = offeredActions({ platform: "discord", ...where }).map(button);
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let start = 0; start < buttons.length; start += BUTTONS_IN_ROW) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(start, start + BUTTONS_IN_ROW) });
  }
  return rows;
}

/**
 * The buttons under a result; no thread can be opened when it sits in a thread (`inThread`) or only the
 * interaction's webhook reaches it (`webhookOnly`: a private reply, a DM the bot is not in).
 */
export function resultButtons(
  jobId: string,
  where: { inThread: boolean; webhookOnly: boolean },
): APIActionRowComponent<APIButtonComponent>[] {
  return buttonRows({ under: "result", inThread: where.inThread, webhookOnly: where.webhookOnly }, jobId);
}

/** The buttons under a status (Cancel) while the job waits or runs; the result and failure views drop them. */
export function cancelButtons(runId: string): APIActionRowComponent<APIButtonComponent>[] {
  return buttonRows({ under: "status" }, runId);
}
