/** A budget a server's admins may set for their server or its people; the global budget is not theirs. */
export interface BudgetRef {
  kind: "user" | "server";
  period: (typeof BUDGET_PERIODS)[number];
  unit: "usd" | "images";
}

/** Budgets count per UTC day and per UTC month. */
export const BUDGET_PERIODS = ["day", "month"] as const;

/** `user-day-usd`: the name `/usage set` takes. */
export const budgetName = (budget: BudgetRef) => `${budget.kind}-${budget.period}-${budget.unit}`;

/**
 * The budgets a server's (or workspace's) admins may set: `user-day-usd` is each person's daily dollars
 * there, `server-month-images` the whole server's monthly images. The global budget is the bot operator's
 * (the environment), never a server's.
 */
export const SETTABLE_BUDGETS: readonly BudgetRef[] = (["user", "server"] as const).flatMap((kind) =>
  BUDGET_PERIODS.flatMap((period) => (["usd", "images"] as const).map((unit) => ({ kind, period, unit }))),
);

export const BUDGET_NAMES: readonly string[] = SETTABLE_BUDGETS.map(budgetName);

const WHO = { user: "each person", server: "the whole server" } as const;
const PER = { day: "per UTC day", month: "per UTC month" } as const;
const UNIT = { usd: "dollars", images: "images" } as const;

/** "each person, dollars per UTC day": a budget's name for pickers and confirmations. */
export function describeBudget(budget: BudgetRef): string {
  return `${WHO[budget.kind]}, ${UNIT[budget.unit]} ${PER[budget.period]}`;
}
