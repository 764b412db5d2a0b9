import { BUDGET_NAMES, type BudgetRef, describeBudget } from "../core/budget-names.js";
import { userError } from "../core/errors.js";
import { plural } from "../core/plural.js";
import { formatDollars, toMicro } from "./budget-scopes.js";
import type { BudgetLedger } from "./ledger.js";

/** What a value of `default` does: the server's own limit is forgotten and the environment's applies. */
export const DEFAULT_VALUE = "default";

/** `server-day-usd` → the budget; anything else is refused with the names there are. */
export function parseBudgetName(text: string): BudgetRef {
  const name = text.trim().toLowerCase();
  const [kind, period, unit, ...rest] = name.split("-");
  if (
    BUDGET_NAMES.includes(name) &&
    rest.length === 0 &&
    (kind === "user" || kind === "server") &&
    (period === "day" || period === "month") &&
    (unit === "usd" || unit === "images")
  ) {
    return { kind, period, unit };
  }
  throw userError("budget_unknown", { typed: text.trim(), names: BUDGET_NAMES });
}

/**
 * A limit as typed: dollars (cents allowed) or a whole number of images; 0 means none; `default` goes back to
 * the environment's limit.
 */
export function parseLimitValue(budget: BudgetRef, text: string): number | typeof DEFAULT_VALUE {
  const typed = text.trim().replace(/^\$/, "");
  if (typed.toLowerCase() === DEFAULT_VALUE) return DEFAULT_VALUE;
  const value = Number(typed);
  // Digits only (no exponent, sign or Infinity); cents at most for dollars.
  const shape = budget.unit === "usd" ? /^\d+(\.\d{1,2})?$/ : /^\d+$/;
  const valid = shape.test(typed) && value <= 1_000_000;
  if (valid) return value;
  const refused = {
    typed: text.trim(),
    budget: describeBudget(budget),
    unit: budget.unit,
    keyword: DEFAULT_VALUE,
  };
  throw userError("budget_value_invalid", { form: "value", ...refused });
}

/** Who asks to set a limit, where. */
export interface LimitSetter {
  platform: string;
  /** The Discord guild or Slack workspace; absent in DMs. */
  workspace: string | undefined;
  /** Decided by the platform: Manage Server or a configured role on Discord, a configured user on Slack. */
  admin: boolean;
  /** How the person asks for their usage there: `/usage`, `/imagine usage`. */
  usageCommand: string;
}

/**
 * `/usage set <budget> <value>`: checks who asks, then the name and the value, then stores the server's own
 * limit over the environment's. Returns the confirmation to show.
 * @throws `UserError` for a person who is not an admin, a DM, an unknown budget or a bad value.
 */
export async function setServerLimit(
  ledger: BudgetLedger,
  setter: LimitSetter,
  name: string,
  valueText: string,
): Promise<string> {
  if (!setter.workspace) {
    throw userError("budget_needs_server");
  }
  if (!setter.admin) {
    throw userError("budget_admin_only", { usageCommand: setter.usageCommand });
  }
  const budget = parseBudgetName(name);
  const value = parseLimitValue(budget, valueText);
  const holder = { platform: setter.platform, id: "", workspace: setter.workspace };
  const limit = await ledger.limitsFor(holder);
  if (value === DEFAULT_VALUE) {
    await ledger.clearOverride(setter.platform, setter.workspace, budget);
    const restored = (await ledger.limitsFor(holder))[budget.kind][budget.period][budget.unit];
    return `The limit for ${describeBudget(budget)} is the bot's again: ${shown(budget, restored)}.`;
  }
  await ledger.setOverride(setter.platform, setter.workspace, budget, value);
  const before = limit[budget.kind][budget.period][budget.unit];
  return `The limit for ${describeBudget(budget)} is now ${shown(budget, value)} (it was ${shown(budget, before)}).`;
}

/** `$5.00`, `20 images`, or `none`. */
function shown(budget: BudgetRef, value: number): string {
  if (value === 0) return "none";
  if (budget.unit === "usd") return formatDollars(toMicro(value));
  return plural(value, "image");
}
