import type { PersonJob } from "../core/person-job.js";
import { plural } from "../core/plural.js";
import {
  type BudgetHolder,
  formatDollars,
  PERIODS,
  type Period,
  type ScopeKind,
  scopesOf,
  toMicro,
  type UnitLimits,
} from "./budget-scopes.js";
import { budgetWords, capitalised, whenItResets } from "./budget-words.js";
import type { BudgetLedger, PersonSpend, Spend } from "./ledger.js";

/** One budget's standing in a period: what its scope spent and its limits (0 = none). */
export interface ScopeUsage {
  kind: ScopeKind;
  spent: Spend;
  limit: UnitLimits;
}

export interface PeriodUsage {
  period: Period;
  /** Every scope of the person, narrowest first: theirs, their server's, everyone's. */
  scopes: ScopeUsage[];
  /** Admins only: what each person spent in the server this period, the most first. */
  people?: PersonSpend[];
}

/** What `/usage` shows, platform-neutral: today, this month, and the person's jobs. */
export interface UsageReport {
  now: Date;
  periods: PeriodUsage[];
  jobs: PersonJob[];
}

/**
 * Reads a person's usage: what they, their server and everyone spent today and this month against the limits
 * that apply to them (their server's own included); with `admin`, the server's spending per person.
 */
export async function usageReport(
  ledger: BudgetLedger,
  holder: BudgetHolder,
  options: { jobs: PersonJob[]; admin: boolean; now?: Date },
): Promise<UsageReport> {
  const now = options.now ?? new Date();
  const limits = await ledger.limitsFor(holder);
  const periods = await Promise.all(
    PERIODS.map(async (period): Promise<PeriodUsage> => {
      const scopes = await Promise.all(
        scopesOf(holder).map(async (scope) => ({
          kind: scope.kind,
          spent: await ledger.spent(scope, period, now),
          limit: limits[scope.kind][period],
        })),
      );
      const workspace = holder.workspace;
      if (!options.admin || !workspace) return { period, scopes };
      return { period, scopes, people: await ledger.people(holder.platform, workspace, period, now) };
    }),
  );
  return { now, periods, jobs: options.jobs };
}

/** How a platform marks up the report's lines. */
export interface UsageMarkup {
  heading(text: string): string;
  /** A person by platform id, e.g. `<@123>` (Discord and Slack both render it as the name). */
  mention(id: string): string;
  code(text: string): string;
}

/** People listed per period; the rest are counted, so the answer fits in one chat message. */
const PEOPLE_SHOWN = 15;

const TITLES: Readonly<Record<Period, string>> = { day: "Today", month: "This month" };
const NO_BUDGET: Readonly<Record<Period, string>> = {
  day: "No daily budget applies.",
  month: "No monthly budget applies.",
};
const SERVER_TITLES: Readonly<Record<Period, string>> = {
  day: "This server today",
  month: "This server this month",
};

/** `2 images, $0.42`: spending rounds up, so it is never shown as less than it was. */
export const formatSpend = (spend: Spend) =>
  `${plural(spend.images, "image")}, ${formatDollars(spend.micro, "up")}`;

/** `Your daily budget: $2.00, $1.58 left`, one line per limit the scope has (none without limits). */
export function budgetLines(usage: ScopeUsage, period: Period): string[] {
  const name = capitalised(budgetWords(usage.kind, period));
  const lines: string[] = [];
  if (usage.limit.usd > 0) {
    const limit = toMicro(usage.limit.usd);
    const left = formatDollars(Math.max(0, limit - usage.spent.micro));
    lines.push(`${name} budget: ${formatDollars(limit)}, ${left} left`);
  }
  if (usage.limit.images > 0) {
    const left = Math.max(0, usage.limit.images - usage.spent.images);
    lines.push(`${name} limit: ${plural(usage.limit.images, "image")}, ${left} left`);
  }
  return lines;
}

/** The report as lines of text, each platform's markup applied; join them with newlines. */
export function usageLines(report: UsageReport, markup: UsageMarkup): string[] {
  const lines: string[] = [];
  for (const { period, scopes } of report.periods) {
    lines.push(`${markup.heading(TITLES[period])} · resets ${whenItResets(period, report.now)}`);
    const own = scopes.find((scope) => scope.kind === "user");
    lines.push(`You: ${formatSpend(own?.spent ?? { micro: 0, images: 0 })}`);
    const budgets = scopes.flatMap((scope) => budgetLines(scope, period));
    lines.push(...(budgets.length > 0 ? budgets : [NO_BUDGET[period]]));
  }
  lines.push(markup.heading("Your jobs"));
  if (report.jobs.length === 0) lines.push("None running or queued.");
  for (const job of report.jobs) {
    const where =
      job.state === "running"
        ? "running"
        : job.position === undefined
          ? "queued"
          : job.position === 0
            ? "queued, next in line"
            : `queued (position ${job.position})`;
    lines.push(`• ${markup.code(job.runId)}: ${where}`);
  }
  if (report.jobs.length > 0) {
    lines.push("What you spent counts the most these jobs may cost until they finish.");
  }
  for (const { period, scopes, people } of report.periods) {
    if (people === undefined) continue;
    const server = scopes.find((scope) => scope.kind === "server");
    lines.push(markup.heading(SERVER_TITLES[period]));
    lines.push(`Everyone: ${formatSpend(server?.spent ?? { micro: 0, images: 0 })}`);
    for (const person of people.slice(0, PEOPLE_SHOWN)) {
      lines.push(`• ${markup.mention(person.id)}: ${formatSpend(person.spend)}`);
    }
    if (people.length > PEOPLE_SHOWN) lines.push(`…and ${people.length - PEOPLE_SHOWN} more`);
  }
  return lines;
}
