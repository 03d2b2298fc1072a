import type { Dimension } from './dimensions';
import { roundingStep } from './poolSettings';
import type { TokenBucket } from './tokenBucket';

/** What one dimension's wait depends on besides its bucket. */
export interface DimensionDemand {
  readonly dimension: Dimension;
  /** The request's charge in this dimension, and what a reserve for interactive work would hold back. */
  readonly cost: number;
  readonly reserve: number;
  /** Largest share of the burst a reserve may hold back (settings). */
  readonly maxReserveShare: number;
  /** True while other clients' draw on this dimension is an estimate (a rate read from re-syncs). */
  readonly isDrawEstimated: boolean;
  /** Charged first (a request planned ahead of this one), if any. */
  readonly debit: number;
}

/** Ms until `bucket` holds what `demand` needs: its cost, the reserve it leaves, and a margin when others draw. */
export function dimensionWaitMs(bucket: TokenBucket, demand: DimensionDemand, nowMs: number): number {
  if (!Number.isFinite(bucket.capacity)) return 0;
  const { dimension, cost, reserve, maxReserveShare, isDrawEstimated, debit } = demand;
  // A request above the believed burst (but within the limit) goes when the bucket is full (the burst
  // is a lower bound). A reserve never makes one wait for a full bucket: a fifth of a tiny burst's rate.
  const step = roundingStep(dimension);
  const room = Math.max(0, bucket.capacity - cost - step);
  const held = Math.min(reserve, maxReserveShare * bucket.capacity, room);
  // With others' draw estimated, keep one rounding step in hand: their draw since the last answer is
  // known only on average (and errs low by up to a step), and at the very edge any shortfall is a 429.
  // Only where it fits: waiting for a full bucket would let the server's bucket spill meanwhile. Not
  // where admissions and refusals bracket the net refill (a tiny burst): that pace already leaves
  // others their draw, and a step more of a burst of four kept it ~3 % under the bound.
  const margin = isDrawEstimated && cost + held + step <= bucket.capacity ? step : 0;
  const needed = Math.min(bucket.capacity, cost + held + margin);
  return bucket.waitMs(needed, nowMs, debit);
}
