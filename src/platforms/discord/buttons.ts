import {
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import { CANCEL_LABEL, cancelValue } from "../../queue/cancel.js";
import { actionValue, offeredActions, RESULT_ACTION_LABELS } from "../../render/result-actions.js";

/** The buttons under a result; `inThread`: the result sits in a thread, where no thread can be opened. */
export function resultButtons(
  jobId: string,
  where: { inThread: boolean },
): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: offeredActions(!where.inThread).map((action) => ({
        type: ComponentType.Button,
        style: action === "delete" ? ButtonStyle.Danger : ButtonStyle.Secondary,
        label: RESULT_ACTION_LABELS[action],
        custom_id: actionValue(action, jobId),
      })),
    },
  ];
}

/** The Cancel button under a status while the job waits or runs; the result and failure views drop it. */
export function cancelButtons(runId: string): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: CANCEL_LABEL,
          custom_id: cancelValue(runId),
        },
      ],
    },
  ];
}
