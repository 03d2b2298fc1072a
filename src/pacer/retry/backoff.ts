import type { RandomSource } from '../clock';

/** Retry timing for transient failures (529, 5xx, network). */
export interface BackoffPolicy {
  /** First retry's ceiling, ms. */
  readonly baseDelayMs: number;
  /** Largest ceiling, ms. */
  readonly maxDelayMs: number;
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
}

/**
 * "Full jitter" exponential backoff: a uniform draw in [0, min(cap, base × 2^(attempt−1))], so
 * clients that failed together do not retry together. `attempt` is the number of the failed attempt (1-based).
 */
export function fullJitterDelayMs(policy: BackoffPolicy, attempt: number, random: RandomSource): number {
  const exponent = Math.min(Math.max(0, attempt - 1), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const draw = random();
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0.5;
  return Math.max(0, Math.round(ceiling * unit));
}
