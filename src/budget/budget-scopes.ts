import { BUDGET_PERIODS } from "../core/budget-names.js";

/**
 * Who a budget belongs to and which period it counts: the person, their server (Discord guild) or workspace
 * (Slack team), and everyone together; per UTC day and per UTC month.
 */
export const SCOPE_KINDS = ["user", "server", "global"] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const PERIODS = BUDGET_PERIODS;
export type Period = (typeof PERIODS)[number];

/** A limit per unit; 0 means none. Dollars are whole micro-dollars in Redis, so sums stay exact. */
export interface UnitLimits {
  usd: number;
  images: number;
}

/** Every budget: scope kind × period × unit. */
export type BudgetLimits = Record<ScopeKind, Record<Period, UnitLimits>>;

/** The person a job is for, as the queue knows them. */
export interface BudgetHolder {
  platform: string;
  id: string;
  /** Discord guild or Slack team; absent in DMs and the CLI. */
  workspace?: string | undefined;
}

/** One budget a job counts against. */
export interface Scope {
  kind: ScopeKind;
  /** `discord:123…`, or `global`. */
  id: string;
}

/** The scopes a job for `holder` counts against, narrowest first. */
export function scopesOf(holder: BudgetHolder): Scope[] {
  const scopes: Scope[] = [{ kind: "user", id: `${holder.platform}:${holder.id}` }];
  if (holder.workspace) scopes.push({ kind: "server", id: `${holder.platform}:${holder.workspace}` });
  scopes.push({ kind: "global", id: "global" });
  return scopes;
}

/** `2026-11-22` or `2026-11`: the period `now` falls in, in UTC. */
export function periodKey(period: Period, now: Date): string {
  return now.toISOString().slice(0, period === "day" ? 10 : 7);
}

/** When the period that holds `now` ends: the next midnight UTC, or the first of next month. */
export function resetsAt(period: Period, now: Date): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return period === "day"
    ? new Date(Date.UTC(year, month, now.getUTCDate() + 1))
    : new Date(Date.UTC(year, month + 1, 1));
}

const ROUNDING = { down: Math.floor, up: Math.ceil, nearest: Math.round } as const;

/**
 * `$1.25` from micro-dollars: cents are enough for people. What is left rounds down and what a request may
 * cost rounds up, so neither promises more than is there; what a job cost is shown to the nearest cent.
 */
export function formatDollars(micro: number, round: keyof typeof ROUNDING = "down"): string {
  return `$${(ROUNDING[round](micro / 10_000) / 100).toFixed(2)}`;
}

export const toMicro = (usd: number) => Math.round(usd * 1_000_000);
