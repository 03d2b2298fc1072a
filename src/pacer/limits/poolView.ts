import type { CooledLimit } from './waitCause';
import type { TokenBucket } from './tokenBucket';

/** The shortest window (time to refill from empty) used for time constants. */
const MIN_WINDOW_MS = 100;

/** Time the slowest finite bucket takes to refill from empty, at least `floorMs` (100 ms unless told); undefined with none known. */
export function slowestWindowMs(
  buckets: readonly TokenBucket[],
  floorMs = MIN_WINDOW_MS,
): number | undefined {
  let window: number | undefined;
  for (const bucket of buckets) {
    if (!Number.isFinite(bucket.capacity) || bucket.ratePerMs <= 0 || bucket.capacity <= 0) continue;
    window = Math.max(window ?? 0, bucket.capacity / bucket.ratePerMs);
  }
  return window === undefined ? undefined : Math.max(floorMs, window);
}

/** Why a pool is not sending right now. */
export type PoolState =
  | { readonly kind: 'ok' }
  | { readonly kind: 'probing' }
  | { readonly kind: 'cooling'; readonly untilMs: number; readonly cooledLimit: CooledLimit };

/** A dimension's state for display. */
export interface PoolDimensionView {
  readonly limit?: number;
  readonly remaining: number;
  readonly capacity: number;
  readonly resetAtMs?: number;
}

/** A bucket's numbers for display: limit, what we believe remains, when it is full (else the server's reset). */
export function dimensionView(
  bucket: TokenBucket,
  limit: number | undefined,
  serverResetAtMs: number | undefined,
  nowMs: number,
): PoolDimensionView {
  const level = bucket.levelAt(nowMs);
  const remaining = Number.isFinite(level) ? Math.max(0, Math.floor(level)) : 0;
  const fullAt =
    bucket.ratePerMs > 0 && Number.isFinite(bucket.capacity)
      ? nowMs + Math.ceil(Math.max(0, bucket.capacity - level) / bucket.ratePerMs)
      : serverResetAtMs;
  return {
    ...(limit !== undefined ? { limit } : {}),
    remaining,
    capacity: Number.isFinite(bucket.capacity) ? bucket.capacity : 0,
    ...(fullAt !== undefined ? { resetAtMs: fullAt } : {}),
  };
}

/** Share (0–1) left of the tightest bounded bucket, or undefined when none is bounded. */
export function tightestShare(buckets: readonly TokenBucket[], nowMs: number): number | undefined {
  let tightest: number | undefined;
  for (const bucket of buckets) {
    if (!Number.isFinite(bucket.capacity) || bucket.capacity <= 0) continue;
    const share = Math.max(0, Math.min(1, bucket.levelAt(nowMs) / bucket.capacity));
    tightest = tightest === undefined ? share : Math.min(tightest, share);
  }
  return tightest;
}
