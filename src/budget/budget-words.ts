import { type Period, resetsAt, type ScopeKind } from "./budget-scopes.js";

/** How budgets are named to people, the same in a refusal and in `/usage`. */
const SCOPE_WORDS: Readonly<Record<ScopeKind, string>> = {
  user: "your",
  server: "this server's",
  global: "the bot's shared",
};
const PERIOD_WORDS: Readonly<Record<Period, string>> = { day: "daily", month: "monthly" };

/** "your daily", "this server's monthly": whose budget and which period. */
export const budgetWords = (kind: ScopeKind, period: Period) =>
  `${SCOPE_WORDS[kind]} ${PERIOD_WORDS[period]}`;

/** The same words starting a sentence. */
export const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** "in 5 h 12 min (00:00 UTC)" or "on 2026-12-01 (00:00 UTC)": when the period holding `now` ends. */
export function whenItResets(period: Period, now: Date): string {
  const reset = resetsAt(period, now);
  const minutes = Math.ceil((reset.getTime() - now.getTime()) / 60_000);
  return period === "day"
    ? `in ${Math.floor(minutes / 60)} h ${minutes % 60} min (00:00 UTC)`
    : `on ${reset.toISOString().slice(0, 10)} (00:00 UTC)`;
}
