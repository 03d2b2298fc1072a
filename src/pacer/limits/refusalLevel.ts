import type { Dimension } from './dimensions';

/** What a 429 said of the bucket that refused: its `retry-after`, else when the server expects it full. */
export interface Refusal {
  readonly dimension: Dimension;
  /** The refused request's charge in that dimension. */
  readonly cost: number;
  readonly retryAfterMs?: number | undefined;
  readonly resetInMs?: number | undefined;
}

/**
 * The level a refusing bucket had, as far as a 429 tells (at most one below the refused cost): the
 * cost less the refill of `retry-after` (the wait until this request fits), else the capacity less
 * the refill until `-reset`, else empty. `retry-after` comes in whole seconds, so the server's own
 * wait may be up to one shorter; within that rounding, a bucket that charges at admission and
 * refuses never sits below empty. (A server refilling its whole burst in a fraction of a second
 * says 1 s, which read exactly would mean many bursts owed.)
 */
export function refusalLevel(refusal: Refusal, capacity: number, ratePerMs: number): number {
  const { dimension, cost, retryAfterMs, resetInMs } = refusal;
  let level = 0;
  if (retryAfterMs !== undefined) {
    level = cost - ratePerMs * retryAfterMs;
    const isChargedAtAdmission = dimension === 'requests' || dimension === 'inputTokens';
    const ifRoundedUp = cost - ratePerMs * Math.max(0, retryAfterMs - 1000);
    if (isChargedAtAdmission && ifRoundedUp > 0) level = Math.max(level, 0);
  } else if (resetInMs !== undefined) level = capacity - ratePerMs * Math.max(0, resetInMs);
  return Math.min(level, cost - 1);
}
