/**
 * The shutdown dates OpenAI announces for the offered models (`GET /models/{id}`'s `shutdown_date`), so the
 * next sunset needs no release. One catalogue per process, set at start and refreshed daily by
 * `src/engine/model-dates.ts`; `getModel` reads it, so the bot's validation and the worker's recheck use the
 * same rule. Both processes read the same dates from OpenAI, and a date is a whole day, so they can only
 * disagree across a refresh on the day itself, when the worker's recheck refuses (nothing spent).
 */
let announced: ReadonlyMap<string, string> = new Map();

/** How far ahead a coming shutdown is said on results. */
export const SHUTDOWN_NOTICE_DAYS = 14;

/** Replaces the catalogue: model name → `YYYY-MM-DD`. Models without a date are simply absent. */
export function setShutdownDates(dates: ReadonlyMap<string, string>): void {
  announced = new Map(dates);
}

/** The announced shutdown date of `model`, if any. */
export function shutdownDateOf(model: string): string | undefined {
  return announced.get(model);
}

/** Today's date in UTC, `YYYY-MM-DD`: OpenAI's dates are days, compared as strings. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** `date` plus `days`, `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return todayUtc(at);
}

/** Whether a model with this shutdown date is gone on `today` (it shuts down on the date itself). */
export function isPast(shutdownDate: string, today: string = todayUtc()): boolean {
  return shutdownDate <= today;
}

/** Whether the date is after today but within {@link SHUTDOWN_NOTICE_DAYS}. */
export function isSoon(shutdownDate: string, today: string = todayUtc()): boolean {
  return !isPast(shutdownDate, today) && shutdownDate <= addDays(today, SHUTDOWN_NOTICE_DAYS);
}
