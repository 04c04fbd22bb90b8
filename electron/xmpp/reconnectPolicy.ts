/** How reconnect attempts are spaced after an unexpected disconnect. */
export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** Cap on the delay, however many attempts failed. */
  maxMs: number;
  /** Up to this fraction is taken off each delay at random, so many clients do not retry in step. */
  jitterRatio: number;
  /** After this many failed attempts the session gives up ('failed'). */
  maxAttempts: number;
  /** Injected for tests; returns [0, 1). */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 1000, maxMs: 60_000, jitterRatio: 0.2, maxAttempts: 100, random: Math.random,
};

/**
 * Delay before reconnect attempt number `attempt` (0-based): initialMs · 2^attempt, capped at maxMs, minus
 * up to jitterRatio of it. Null once maxAttempts attempts were made: the caller stops retrying.
 */
export function reconnectDelayMs(attempt: number, options: Partial<BackoffOptions> = {}): number | null {
  const o = { ...DEFAULT_BACKOFF, ...options };
  if (attempt >= o.maxAttempts) return null;
  const exponent = Math.min(attempt, 30);
  const capped = Math.min(o.maxMs, o.initialMs * 2 ** exponent);
  const jitter = capped * o.jitterRatio * o.random();
  return Math.max(0, Math.round(capped - jitter));
}
