/**
 * Per-key exponential backoff, like client-go's ItemExponentialFailureRateLimiter:
 * the n-th consecutive failure of a key waits `base * 2^(n-1)`, capped at `max`.
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
}

export const DEFAULT_BACKOFF_BASE_MS = 5;
export const DEFAULT_BACKOFF_MAX_MS = 5 * 60_000;

export class ExponentialBackoff<K = string> {
  readonly baseMs: number;
  readonly maxMs: number;
  private readonly failures = new Map<K, number>();

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
    this.maxMs = options.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
    if (!(this.baseMs > 0) || !(this.maxMs >= this.baseMs)) {
      throw new RangeError(`backoff needs 0 < base (${this.baseMs}) <= max (${this.maxMs})`);
    }
  }

  /** Records one more failure of `key` and returns how long to wait before retrying it. */
  next(key: K): number {
    const attempt = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, attempt);
    return delayFor(attempt, this.baseMs, this.maxMs);
  }

  /** Consecutive failures recorded for `key`. */
  attempts(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** Forgets `key` after a success. */
  reset(key: K): void {
    this.failures.delete(key);
  }
}

/** The delay of the `attempt`-th consecutive failure (1-based). */
export function delayFor(attempt: number, baseMs: number, maxMs: number): number {
  // 2^exponent overflows to Infinity long after it passed maxMs; Math.min handles that.
  const exponent = Math.max(0, attempt - 1);
  return Math.min(maxMs, baseMs * 2 ** Math.min(exponent, 1024));
}

/** Backoff with ±`ratio` jitter, for reconnect loops where many clients retry at once. */
export function jittered(ms: number, ratio = 0.2, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 - ratio + 2 * ratio * random())));
}
