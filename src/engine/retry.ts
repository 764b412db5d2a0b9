/** How the engine spaces its own retries (the SDK's are off: it cannot retry once a stream has started). */
export interface RetryPolicy {
  /** Retries after the first attempt; `0` means one attempt only. */
  maxRetries: number;
  /** Delay before the first retry; doubles each time. */
  baseMs: number;
  /** Longest computed backoff. */
  capMs?: number;
  /** Longest wait we accept from a `retry-after` header; a longer one is clamped to this. */
  maxRetryAfterMs?: number;
}

const DEFAULT_CAP_MS = 30_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/**
 * Milliseconds to wait before retry number `retry` (1-based). OpenAI's `retry-after` wins when present: it
 * knows when the window reopens, and retrying earlier only earns another 429. Otherwise exponential backoff
 * with "equal jitter" (half fixed, half random), so workers that failed together do not retry together while
 * no delay collapses to zero.
 */
export function retryDelay(
  retry: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
  }
  const exponential = Math.min(policy.capMs ?? DEFAULT_CAP_MS, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/**
 * Reads `retry-after-ms` (OpenAI's own, precise) or `retry-after` (seconds or an HTTP date) from response
 * headers; `undefined` when absent or unreadable.
 */
export function retryAfterFromHeaders(
  headers: Headers | undefined,
  now: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const millis = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(millis) && millis >= 0) return millis;
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The error an aborted signal stands for: its reason when that is an error, a standard `AbortError` otherwise. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException("The operation was aborted.", "AbortError");
}

/** Waits `ms`, rejecting with the abort reason as soon as `signal` aborts, so a cancelled job never lingers in a backoff. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
