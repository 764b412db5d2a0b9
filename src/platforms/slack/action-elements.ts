import type { types } from "@slack/bolt";
import { type Press, pressId } from "../../actions/press-id.js";
import { ACTIONS, type ButtonPlace, offeredActions } from "../../actions/registry.js";

/** Slack's action ids: `imagine_<action>`, and `_<image>` after it for an action on one image. */
const PREFIX = "imagine_";

/**
 * One listener for every action offered on Slack. The action id is unique in its block, as Slack wants; the
 * value (the press id) decides, as Discord's custom id does.
 */
export const SLACK_ACTION_IDS = new RegExp(
  `^${PREFIX}(?:${ACTIONS.filter((action) => action.offer.platforms.includes("slack"))
    .map((action) => action.name)
    .join("|")})(?:_\\d+)?$`,
);

const actionId = ({ action, image }: Press) => `${PREFIX}${action}${image === undefined ? "" : `_${image}`}`;

const BLOCK_IDS = {
  result: "imagine_result",
  status: "imagine_progress",
  history: "imagine_history",
  confirmation: "imagine_confirmation",
} as const;

/** The buttons offered under `under` for the run, from the registry. */
function actionButtons(under: ButtonPlace["under"], runId: string): types.Button[] {
  return offeredActions({ platform: "slack", under }).map((action) => {
    const press = { action: action.name, runId };
    return {
      type: "button",
      action_id: actionId(press),
      text: { type: "plain_text", text: action.label },
      value: pressId(press),
      ...(action.tone === "danger" ? { style: "danger" as const } : {}),
    };
  });
}

/** The buttons under a result (`imagine_result`), a status (`imagine_progress`) or a listed run. */
export function actionsBlock(under: ButtonPlace["under"], runId: string, blockId?: string): types.KnownBlock {
  return { type: "actions", block_id: blockId ?? BLOCK_IDS[under], elements: actionButtons(under, runId) };
}

/** A private confirmation: the text, and one button pressing `confirm` (Finalize's Confirm). */
export function confirmBlocks(text: string, confirm: { label: string; press: Press }): types.KnownBlock[] {
  return [
    { type: "section", text: { type: "mrkdwn", text } },
    {
      type: "actions",
      block_id: BLOCK_IDS.confirmation,
      elements: [
        {
          type: "button",
          action_id: actionId(confirm.press),
          text: { type: "plain_text", text: confirm.label },
          value: pressId(confirm.press),
          style: "primary",
        },
      ],
    },
  ];
}
