import type { BudgetRef } from "../core/budget-names.js";
import { type UserError, userError } from "../core/errors.js";
import { type RedisClient, slotted } from "../core/redis-slots.js";
import {
  type BudgetHolder,
  type BudgetLimits,
  formatDollars,
  PERIODS,
  type Period,
  periodKey,
  type Scope,
  type ScopeKind,
  scopesOf,
  toMicro,
  type UnitLimits,
} from "./budget-scopes.js";
import { budgetWords, capitalised, whenItResets } from "./budget-words.js";

/** What a job costs or may cost: whole micro-dollars and images. */
export interface Spend {
  micro: number;
  images: number;
}

/** Counters outlive their period a little, so `/usage` can still read yesterday's right after midnight. */
const COUNTER_TTL_SECONDS: Readonly<Record<Period, number>> = { day: 3 * 86_400, month: 40 * 86_400 };
/** A reservation outlives any job (BullMQ's retries included); one never settled lapses without refund. */
const RESERVATION_TTL_SECONDS = 7 * 86_400;

/**
 * One round trip, atomic, so that no number of simultaneous requests can overspend: every budget is
 * checked, and only if all have room is the amount added to all of them and the reservation recorded.
 * Idempotent per run id. The reservation records its counters, so settling after midnight finds the same ones.
 * In a server the person is also added to the server's people of the day and of the month (the indexes), so
 * `/usage` can list who spent there without scanning Redis.
 * KEYS: the counters, then the reservation, then the people indexes (none outside a server).
 * ARGV: micro, images, then per counter its micro limit, image limit and TTL (0 = no limit); then the
 * reservation's TTL; then the person's id, now (ms) and per index its TTL; last, the number of indexes.
 * Returns {'ok'} or {'usd'|'images', counter index (1-based), spent so far}.
 */
const RESERVE = `
local indexes = tonumber(ARGV[#ARGV])
local n = #KEYS - 1 - indexes
local micro = tonumber(ARGV[1])
local images = tonumber(ARGV[2])
if redis.call('EXISTS', KEYS[n + 1]) == 1 then return {'ok'} end
for i = 1, n do
  local base = 2 + (i - 1) * 3
  local limitMicro = tonumber(ARGV[base + 1])
  local limitImages = tonumber(ARGV[base + 2])
  local spentMicro = tonumber(redis.call('HGET', KEYS[i], 'micro') or '0')
  local spentImages = tonumber(redis.call('HGET', KEYS[i], 'images') or '0')
  if limitMicro > 0 and spentMicro + micro > limitMicro then return {'usd', i, spentMicro} end
  if limitImages > 0 and spentImages + images > limitImages then return {'images', i, spentImages} end
end
for i = 1, n do
  redis.call('HINCRBY', KEYS[i], 'micro', micro)
  redis.call('HINCRBY', KEYS[i], 'images', images)
  redis.call('EXPIRE', KEYS[i], tonumber(ARGV[2 + (i - 1) * 3 + 3]))
end
redis.call('HSET', KEYS[n + 1], 'micro', micro, 'images', images, 'counters', table.concat(KEYS, ' ', 1, n))
redis.call('EXPIRE', KEYS[n + 1], tonumber(ARGV[3 + 3 * n]))
for j = 1, indexes do
  redis.call('ZADD', KEYS[n + 1 + j], ARGV[5 + 3 * n], ARGV[4 + 3 * n])
  redis.call('EXPIRE', KEYS[n + 1 + j], tonumber(ARGV[5 + 3 * n + j]))
end
return {'ok'}
`;

/**
 * Settles a reservation to what was really spent (0 for a refund), once: the reservation goes with it, so a
 * second settle (a retry showing a stored result) changes nothing. KEYS: the reservation, then its counters.
 * ARGV: actual micro, actual images.
 */
const SETTLE = `
local reserved = redis.call('HMGET', KEYS[1], 'micro', 'images')
if not reserved[1] then return 0 end
local dMicro = tonumber(ARGV[1]) - tonumber(reserved[1])
local dImages = tonumber(ARGV[2]) - tonumber(reserved[2])
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('HINCRBY', KEYS[i], 'micro', dMicro)
    redis.call('HINCRBY', KEYS[i], 'images', dImages)
  end
end
redis.call('DEL', KEYS[1])
return 1
`;

/** One person's spending in a server. */
export interface PersonSpend {
  /** The platform's user id. */
  id: string;
  spend: Spend;
}

const overrideField = (budget: BudgetRef) => `${budget.kind}:${budget.period}:${budget.unit}`;

/** One counter a reservation touched: which budget, and its Redis key. */
interface Counter {
  scope: Scope;
  period: Period;
  key: string;
}

/**
 * Budgets in dollars and images, per person, per server or workspace and for everyone, per UTC day and
 * month, kept in Redis so every bot and worker process counts the same money. A job's estimate is reserved
 * before it is queued (`reserve`); when it ends the reservation is settled to the real cost (`settle`) or
 * given back (`refund`). Limits come from the environment; a server's admins may override theirs
 * (`setOverride`).
 */
export class BudgetLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly defaults: BudgetLimits,
  ) {}

  /**
   * Reserves `spend` for `runId` against every budget of `holder`, or throws a `UserError` naming the budget,
   * what is left and when it resets. Nothing is reserved then.
   */
  async reserve(runId: string, holder: BudgetHolder, spend: Spend, now = new Date()): Promise<void> {
    const counters = this.counters(holder, now);
    const limits = await this.limitsFor(holder);
    const args: (string | number)[] = [spend.micro, spend.images];
    for (const { scope, period } of counters) {
      const limit = limits[scope.kind][period];
      args.push(toMicro(limit.usd), limit.images, COUNTER_TTL_SECONDS[period]);
    }
    // What the person spent in this server: counters without limits, after the budgets (so a refusal's
    // index still names a budget), settled with them.
    const workspace = holder.workspace;
    const members = workspace
      ? PERIODS.map((period) => this.memberKey(holder.platform, workspace, holder.id, period, now))
      : [];
    for (const period of workspace ? PERIODS : []) args.push(0, 0, COUNTER_TTL_SECONDS[period]);
    const indexes = workspace
      ? PERIODS.map((period) => this.peopleKey(holder.platform, workspace, period, now))
      : [];
    args.push(RESERVATION_TTL_SECONDS, holder.id, now.getTime());
    for (const period of workspace ? PERIODS : []) args.push(COUNTER_TTL_SECONDS[period]);
    args.push(indexes.length);
    const keys = [
      ...counters.map((counter) => counter.key),
      ...members,
      this.reservationKey(runId),
      ...indexes,
    ];
    const verdict = (await this.redis.eval(RESERVE, keys.length, ...keys, ...args)) as [
      string,
      number?,
      number?,
    ];
    if (verdict[0] === "ok") return;
    const counter = counters[(verdict[1] ?? 1) - 1] as Counter;
    throw refusal(verdict[0] === "usd" ? "usd" : "images", counter, limits, verdict[2] ?? 0, spend, now);
  }

  /** Settles `runId` to what it really cost; a no-op when it holds no reservation (already settled). */
  async settle(runId: string, actual: Spend): Promise<void> {
    const reservation = this.reservationKey(runId);
    const counters = await this.redis.hget(reservation, "counters");
    if (counters === null) return;
    const keys = counters.split(" ");
    await this.redis.eval(SETTLE, keys.length + 1, reservation, ...keys, actual.micro, actual.images);
  }

  /** Gives a reservation back: the job failed, was cancelled or was blocked; nothing was made. */
  refund(runId: string): Promise<void> {
    return this.settle(runId, { micro: 0, images: 0 });
  }

  /** What a budget has counted so far in the period holding `now` (reservations included). */
  async spent(scope: Scope, period: Period, now = new Date()): Promise<Spend> {
    const [micro, images] = await this.redis.hmget(this.counterKey(scope, period, now), "micro", "images");
    return { micro: Number(micro ?? 0), images: Number(images ?? 0) };
  }

  /**
   * What each person spent in a server (Discord guild, Slack workspace) in the period holding `now`, the
   * most first; people whose every job was refunded are left out.
   */
  async people(
    platform: string,
    workspace: string,
    period: Period,
    now = new Date(),
  ): Promise<PersonSpend[]> {
    const ids = await this.redis.zrange(this.peopleKey(platform, workspace, period, now), "0", "-1");
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids)
      pipeline.hmget(this.memberKey(platform, workspace, id, period, now), "micro", "images");
    const replies = (await pipeline.exec()) ?? [];
    return ids
      .map((id, index) => {
        const [micro, images] = (replies[index]?.[1] as (string | null)[] | undefined) ?? [];
        return { id, spend: { micro: Number(micro ?? 0), images: Number(images ?? 0) } };
      })
      .filter(({ spend }) => spend.micro > 0 || spend.images > 0)
      .sort((a, b) => b.spend.micro - a.spend.micro || b.spend.images - a.spend.images);
  }

  /** The limits that apply to `holder`: the environment's, with their server's overrides over them. */
  async limitsFor(holder: BudgetHolder): Promise<BudgetLimits> {
    const limits = structuredClone(this.defaults);
    if (!holder.workspace) return limits;
    const overrides = await this.redis.hgetall(this.overridesKey(holder.platform, holder.workspace));
    for (const [field, value] of Object.entries(overrides)) {
      const [kind, period, unit] = field.split(":") as [ScopeKind, Period, keyof UnitLimits];
      const target = limits[kind]?.[period];
      if (target && (unit === "usd" || unit === "images") && kind !== "global") target[unit] = Number(value);
    }
    return limits;
  }

  /** A server admin's limit for their server or its people (0 = none). */
  async setOverride(platform: string, workspace: string, budget: BudgetRef, value: number): Promise<void> {
    await this.redis.hset(this.overridesKey(platform, workspace), overrideField(budget), String(value));
  }

  /** Forgets a server's own limit: the environment's applies again. */
  async clearOverride(platform: string, workspace: string, budget: BudgetRef): Promise<void> {
    await this.redis.hdel(this.overridesKey(platform, workspace), overrideField(budget));
  }

  /**
   * Every budget key shares one hash slot on a Redis Cluster: a reservation checks and adds to the counter
   * everyone shares (the global budget) in the same script as the person's and the server's, so they cannot
   * live apart. Budgets are a few small hashes per person and day: one slot holds them all with room to spare.
   */
  private get budgetPrefix(): string {
    return slotted(this.redis, `${this.prefix}:budget`);
  }

  private counters(holder: BudgetHolder, now: Date): Counter[] {
    return scopesOf(holder).flatMap((scope) =>
      PERIODS.map((period) => ({ scope, period, key: this.counterKey(scope, period, now) })),
    );
  }

  private counterKey(scope: Scope, period: Period, now: Date): string {
    return `${this.budgetPrefix}:spent:${scope.kind}:${scope.id}:${periodKey(period, now)}`;
  }

  private memberKey(platform: string, workspace: string, id: string, period: Period, now: Date): string {
    return `${this.budgetPrefix}:spent:member:${platform}:${workspace}:${id}:${periodKey(period, now)}`;
  }

  private peopleKey(platform: string, workspace: string, period: Period, now: Date): string {
    return `${this.budgetPrefix}:people:${platform}:${workspace}:${periodKey(period, now)}`;
  }

  private reservationKey(runId: string): string {
    return `${this.budgetPrefix}:reserved:${runId}`;
  }

  private overridesKey(platform: string, workspace: string): string {
    return `${this.budgetPrefix}:overrides:${platform}:${workspace}`;
  }
}

/** "Your daily budget of $2.00 has $0.15 left; this request may cost up to $0.84. It resets in 5 h 12 min (00:00 UTC)." */
function refusal(
  unit: "usd" | "images",
  { scope, period }: Counter,
  limits: BudgetLimits,
  spentSoFar: number,
  spend: Spend,
  now: Date,
): UserError {
  const limit = limits[scope.kind][period];
  const words = { whose: capitalised(budgetWords(scope.kind, period)), resets: whenItResets(period, now) };
  const details = { scope: scope.kind, period, unit, limit: limit[unit], spent: spentSoFar };
  if (unit === "usd") {
    const usd = toMicro(limit.usd);
    const left = formatDollars(Math.max(0, usd - spentSoFar));
    const dollars = { limit: formatDollars(usd), left, cost: formatDollars(spend.micro, "up") };
    return userError("budget_exceeded", { ...words, unit, ...dollars }, { details });
  }
  const left = Math.max(0, limit.images - spentSoFar);
  return userError(
    "budget_exceeded",
    { ...words, unit, limit: limit.images, left, images: spend.images },
    { details },
  );
}
