import type { types } from "@slack/bolt";
import type { Action } from "../../actions/action.js";
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

/** An image's overflow menu (where Slack has no carousel): the picked option's value is the press id. */
export const SLACK_OVERFLOW_IDS = new RegExp(`^${PREFIX}image_menu_\\d+$`);

/** Slack's overflow menu holds 2 to 5 options. */
const OVERFLOW_OPTIONS = { min: 2, max: 5 };

const actionId = ({ action, image }: Press) => `${PREFIX}${action}${image === undefined ? "" : `_${image}`}`;

/** One action's button for `press`; `label` names the image where the button is not beside it. */
export function actionButton(action: Action, press: Press, label = action.label): types.Button {
  return {
    type: "button",
    action_id: actionId(press),
    text: { type: "plain_text", text: label },
    value: pressId(press),
    ...(action.tone === "danger" ? { style: "danger" as const } : {}),
  };
}

/** Whole-run buttons (`action:runId`) for `actions`, in one block. */
export function runActionsBlock(
  actions: readonly Action[],
  runId: string,
  blockId = "imagine_result",
): types.KnownBlock {
  return {
    type: "actions",
    block_id: blockId,
    elements: actions.map((action) => actionButton(action, { action: action.name, runId })),
  };
}

const BLOCK_IDS = {
  result: "imagine_result",
  status: "imagine_progress",
  history: "imagine_history",
  confirmation: "imagine_confirmation",
  description: "imagine_description",
} as const;

/** The buttons under a result (`imagine_result`), a status (`imagine_progress`) or a listed run, from the registry. */
export function actionsBlock(under: ButtonPlace["under"], runId: string, blockId?: string): types.KnownBlock {
  const actions = offeredActions({ platform: "slack", under });
  return runActionsBlock(actions, runId, blockId ?? BLOCK_IDS[under]);
}

/**
 * One image's actions under its image block (where Slack has no carousel): an overflow menu when there are
 * enough for one (2 to 5), else labelled buttons ("Vary image 3").
 */
export function imageActionsBlock(
  actions: readonly Action[],
  runId: string,
  image: number,
): types.KnownBlock {
  const presses = actions.map((action) => ({ action, press: { action: action.name, runId, image } }));
  const menu = actions.length >= OVERFLOW_OPTIONS.min && actions.length <= OVERFLOW_OPTIONS.max;
  const elements: types.ActionsBlockElement[] = menu
    ? [
        {
          type: "overflow",
          action_id: `${PREFIX}image_menu_${image}`,
          options: presses.map(({ action, press }) => ({
            text: { type: "plain_text", text: action.label },
            value: pressId(press),
          })),
        },
      ]
    : presses.map(({ action, press }) => actionButton(action, press, `${action.label} image ${image + 1}`));
  return { type: "actions", block_id: `imagine_image_${image}`, elements };
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

/** Under a Describe: "Use 1" … for each prompt (`v2:describe-use:<runId>:<i>`), then the result's Details. */
export function describedActionsBlock(runId: string, prompts: number): types.KnownBlock {
  const use = offeredActions({ platform: "slack", under: "description" });
  const details = offeredActions({ platform: "slack", under: "result" }).filter((a) => a.name === "details");
  const elements = [
    ...use.flatMap((action) =>
      Array.from({ length: prompts }, (_, image) =>
        actionButton(action, { action: action.name, runId, image }, `${action.label} ${image + 1}`),
      ),
    ),
    ...details.map((action) => actionButton(action, { action: action.name, runId })),
  ];
  return { type: "actions", block_id: BLOCK_IDS.description, elements };
}
