import { errorMessage } from "../core/errors.js";

/** One thing `/readyz` asks; throws (or takes too long) when it is not ready. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** What `/readyz` answers: each check's "ok" or why not. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
}

/** Longer than a healthy Redis or disk takes, shorter than an orchestrator's probe timeout. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * A probe every few seconds is what an orchestrator sends; more is either a mistake or a flood. Within this
 * window every caller gets the last answer, so a flood costs no Redis or storage round trip (a storage probe
 * is a write, a read and a delete: four S3 requests).
 */
export const READINESS_CACHE_MS = 5_000;

/**
 * The checks' answer, asked at most once per `cacheMs`: one round of checks in flight at a time, shared by
 * every caller that comes meanwhile, and kept (ready or not) for `cacheMs` after it settles. `checks` is read
 * at each round, since the platforms join it once started.
 */
export function cachedReadiness(
  checks: readonly ReadinessCheck[],
  cacheMs = READINESS_CACHE_MS,
  now: () => number = Date.now,
): () => Promise<Readiness> {
  let last: { answer: Promise<Readiness>; settledAt: number | undefined } | undefined;
  return () => {
    const fresh = last !== undefined && (last.settledAt === undefined || now() - last.settledAt < cacheMs);
    if (fresh && last) return last.answer;
    const round: { answer: Promise<Readiness>; settledAt: number | undefined } = {
      answer: runChecks(checks).finally(() => {
        round.settledAt = now();
      }),
      settledAt: undefined,
    };
    last = round;
    return round.answer;
  };
}

async function runChecks(checks: readonly ReadinessCheck[]): Promise<Readiness> {
  const results = await Promise.all(checks.map(runCheck));
  return {
    ready: results.every(([, outcome]) => outcome === "ok"),
    checks: Object.fromEntries(results),
  };
}

/** "ok", or why not, in one line (no stack: the endpoint may be reachable by more than the operator). */
async function runCheck({ name, check }: ReadinessCheck): Promise<[string, string]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return [name, "ok"];
  } catch (error) {
    return [name, errorMessage(error)];
  } finally {
    clearTimeout(timer);
  }
}
