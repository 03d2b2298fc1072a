import type { BackoffPolicy } from '../retry/backoff';
import type { Limits } from '../limits/ratePool';

/** Tunables of the scheduler; the extension derives them from settings. */
export interface SchedulerOptions {
  /** Requests in flight at once, all pools together. @default 8 */
  readonly maxInFlight: number;
  /** Transient-failure retries (529, 5xx, network). */
  readonly backoff: BackoffPolicy;
  /** Configured per-minute limits, a starting point until headers teach the real ones. Per model class, '*' for all. */
  readonly limits: Readonly<Record<string, Limits>>;
  /** Share of every limit left to other clients (0–0.9). @default 0 */
  readonly headroomShare: number;
  /**
   * Share of every bucket's burst that non-interactive work may always use (0.05–1): the reserve
   * kept for expected interactive requests never holds back more than the rest. @default 0.5
   */
  readonly backgroundBudgetShare: number;
  /**
   * Upper bound of the aging step: a lane head rises one lane per step it waits, the step being the
   * server's window for its model class, at most this. @default 30000
   */
  readonly agingStepMs: number;
  /** Until a pool's first response, send one request at a time (its burst is not known yet). @default true */
  readonly probeFirst: boolean;
  /** How output tokens count: 'realtime' (generated tokens) or 'legacy' (max_tokens reserved). */
  readonly otpmRegime: 'realtime' | 'legacy';
  /** Model to route to after repeated overloads of the primary one. */
  readonly fallbackModel?: string;
  /** Consecutive overloads of a model before its requests go to the fallback. @default 3 */
  readonly fallbackAfterOverloads: number;
  /** 429s one request may receive before it fails. @default 8 */
  readonly maxRateLimitRetries: number;
  /** Ms a shared budget may take to answer a lease before the request goes under local pacing alone. @default 2000 */
  readonly leaseTimeoutMs: number;
}

/** Defaults matching the settings' defaults. */
export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  maxInFlight: 32,
  backoff: { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 5 },
  limits: {},
  headroomShare: 0,
  backgroundBudgetShare: 0.5,
  agingStepMs: 30_000,
  probeFirst: true,
  otpmRegime: 'realtime',
  fallbackAfterOverloads: 3,
  maxRateLimitRetries: 8,
  leaseTimeoutMs: 2_000,
};
