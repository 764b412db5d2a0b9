import { formatDollars, toMicro } from "../budget/budget-scopes.js";
import type { Config } from "../config/types.js";
import type { CheckOutcome } from "./checks.js";

/** Without a dollar budget for everyone together, nothing caps what the bot spends in a day or a month. */
export function checkBudgets(config: Config): CheckOutcome {
  const { day, month } = config.budgets.global;
  const caps = [
    day.usd > 0 ? `${formatDollars(toMicro(day.usd), "nearest")} a day` : undefined,
    month.usd > 0 ? `${formatDollars(toMicro(month.usd), "nearest")} a month` : undefined,
  ].filter((cap) => cap !== undefined);
  if (caps.length > 0)
    return { name: "budgets", ok: true, detail: `everyone together: at most ${caps.join(", ")}` };
  return {
    name: "budgets",
    ok: true,
    warning: true,
    detail:
      "warning: no global dollar budget (BUDGET_GLOBAL_DAY_USD and BUDGET_GLOBAL_MONTH_USD are 0 or none): nothing caps what everyone together spends; set one",
  };
}
