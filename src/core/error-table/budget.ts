import { plural } from "../plural.js";
import type { ErrorGroup } from "./entry.js";

/**
 * Budget names, amounts and reset times arrive worded by src/budget, which words them the same in `/usage`:
 * `whose` ("Your daily"), dollars (`$2.00`), `resets` ("in 5 h 12 min (00:00 UTC)").
 */
type BudgetExceeded = { whose: string; resets: string } & (
  | { unit: "usd"; limit: string; left: string; cost: string }
  | { unit: "images"; limit: number; left: number; images: number }
);

function budgetExceeded(p: BudgetExceeded): string {
  const text =
    p.unit === "usd"
      ? `${p.whose} budget of ${p.limit} has ${p.left} left; this request may cost up to ${p.cost}.`
      : `${p.whose} limit of ${plural(p.limit, "image")} has ${p.left} left; this request makes ${plural(p.images, "image")}.`;
  return `${text} It resets ${p.resets}.`;
}

/**
 * `value`: a limit that does not parse, for a budget as `describeBudget` names it; `discord_pair`: `/usage`
 * given `set` or `value` alone; `slack_usage`: `/imagine usage` followed by anything else than `set`.
 */
type BudgetValueInvalid =
  | { form: "value"; typed: string; budget: string; unit: "usd" | "images"; keyword: string }
  | { form: "discord_pair" }
  | { form: "slack_usage"; names: readonly string[] };

function budgetValueInvalid(p: BudgetValueInvalid): string {
  switch (p.form) {
    case "value": {
      const accepted =
        p.unit === "usd" ? "an amount of dollars such as 5 or 2.50" : "a whole number of images such as 20";
      return `"${p.typed}" is not a limit for ${p.budget}: give ${accepted}, 0 for no limit, or ${p.keyword} for the bot's own.`;
    }
    case "discord_pair":
      return "To change a limit give both `set` (which one) and `value`.";
    case "slack_usage":
      return `Try \`/imagine usage\`, or (admins) \`/imagine usage set <budget> <value>\` with a budget among ${p.names.join(", ")}.`;
  }
}

/**
 * `BudgetLedger.reserve` (src/budget/ledger.ts): a dollar or image budget without room for the request; and
 * `/usage set` (src/budget/budget-names.ts): an unknown budget, a bad value, no server, not an admin.
 */
export const BUDGET_ERRORS = {
  budget_exceeded: { kind: "invalid_input", sentence: budgetExceeded },
  budget_unknown: {
    kind: "invalid_input",
    sentence: ({ typed, names }: { typed: string; names: readonly string[] }) =>
      `There is no budget called "${typed}". Budgets: ${names.join(", ")}.`,
  },
  budget_value_invalid: { kind: "invalid_input", sentence: budgetValueInvalid },
  budget_needs_server: {
    kind: "invalid_input",
    sentence: "Limits belong to a server: set them from one of its channels.",
  },
  budget_admin_only: {
    kind: "refused",
    sentence: ({ usageCommand }: { usageCommand: string }) =>
      `Only this server's admins can set its limits; ${usageCommand} shows yours.`,
  },
} as const satisfies ErrorGroup;
