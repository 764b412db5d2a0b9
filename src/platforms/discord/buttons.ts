import { type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType } from "discord.js";

/** Button actions; custom ids are `action:jobId`, so they work after a restart and in any process. */
export const BUTTON_ACTIONS = ["reroll", "vary", "refine", "details", "delete"] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

const LABELS: Record<ButtonAction, string> = {
  reroll: "Re-roll",
  vary: "Vary",
  refine: "Refine in thread",
  details: "Details",
  delete: "Delete",
};

export function customId(action: ButtonAction, jobId: string): string {
  return `${action}:${jobId}`;
}

export function parseCustomId(id: string): { action: ButtonAction; jobId: string } | undefined {
  const [action, jobId, ...rest] = id.split(":");
  if (!jobId || rest.length > 0 || !(BUTTON_ACTIONS as readonly string[]).includes(action ?? ""))
    return undefined;
  return { action: action as ButtonAction, jobId };
}

export function resultButtons(jobId: string): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: BUTTON_ACTIONS.map((action) => ({
        type: ComponentType.Button,
        style: action === "delete" ? ButtonStyle.Danger : ButtonStyle.Secondary,
        label: LABELS[action],
        custom_id: customId(action, jobId),
      })),
    },
  ];
}
