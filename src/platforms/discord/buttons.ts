import {
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import type { Action } from "../../actions/action.js";
import { type Press, pressId } from "../../actions/press-id.js";
import { type ButtonPlace, offeredActions } from "../../actions/registry.js";

/** Discord takes at most 5 buttons in an action row: more actions start another row. */
export const BUTTONS_IN_ROW = 5;

/** One action's button for `press`; `label` names the image on a gallery's per-image buttons. */
export function actionButton(action: Action, press: Press, label = action.label): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: action.tone === "danger" ? ButtonStyle.Danger : ButtonStyle.Secondary,
    label,
    custom_id: pressId(press),
  };
}

/** Buttons in action rows, 5 to a row. */
export function buttonRowsOf(buttons: APIButtonComponent[]): APIActionRowComponent<APIButtonComponent>[] {
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let start = 0; start < buttons.length; start += BUTTONS_IN_ROW) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(start, start + BUTTONS_IN_ROW) });
  }
  return rows;
}

/** Whole-run buttons (`action:runId`) for `actions`, 5 to a row. */
export function runButtonRows(
  actions: readonly Action[],
  runId: string,
): APIActionRowComponent<APIButtonComponent>[] {
  return buttonRowsOf(actions.map((action) => actionButton(action, { action: action.name, runId })));
}

function buttonRows(
  where: Omit<ButtonPlace, "platform">,
  runId: string,
): APIActionRowComponent<APIButtonComponent>[] {
  return runButtonRows(offeredActions({ platform: "discord", ...where }), runId);
}

/**
 * The buttons under a result; no thread can be opened when it sits in a thread (`inThread`) or only the
 * interaction's webhook reaches it (`webhookOnly`: a private reply, a DM the bot is not in).
 */
export function resultButtons(
  jobId: string,
  where: { inThread: boolean; webhookOnly: boolean; unstored?: boolean; answer?: boolean; studio?: boolean },
): APIActionRowComponent<APIButtonComponent>[] {
  return buttonRows({ under: "result", ...where }, jobId);
}

/** The buttons under a status (Cancel) while the job waits or runs; the result and failure views drop them. */
export function cancelButtons(runId: string): APIActionRowComponent<APIButtonComponent>[] {
  return buttonRows({ under: "status" }, runId);
}

/** Under a Describe: "Use 1" … for each prompt (`v2:describe-use:<runId>:<i>`), then the result's Details. */
export function describedButtons(
  runId: string,
  prompts: number,
): APIActionRowComponent<APIButtonComponent>[] {
  const use = offeredActions({ platform: "discord", under: "description" });
  const details = offeredActions({ platform: "discord", under: "result" }).filter(
    (a) => a.name === "details",
  );
  return buttonRowsOf([
    ...use.flatMap((action) =>
      Array.from({ length: prompts }, (_, image) =>
        actionButton(action, { action: action.name, runId, image }, `${action.label} ${image + 1}`),
      ),
    ),
    ...details.map((action) => actionButton(action, { action: action.name, runId })),
  ]);
}
