import { type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType } from "discord.js";
import { actionValue, RESULT_ACTION_LABELS, RESULT_ACTIONS } from "../../render/result-actions.js";

export function resultButtons(jobId: string): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: RESULT_ACTIONS.map((action) => ({
        type: ComponentType.Button,
        style: action === "delete" ? ButtonStyle.Danger : ButtonStyle.Secondary,
        label: RESULT_ACTION_LABELS[action],
        custom_id: actionValue(action, jobId),
      })),
    },
  ];
}
