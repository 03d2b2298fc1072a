import { isRateLimitError } from '../retry/failurePolicy';
import { zeroCost, type Cost } from '../limits/cost';
import { DIMENSIONS } from '../limits/dimensions';
import type { DispatchPlanner } from './dispatchPlanner';
import type { RatePool } from '../limits/ratePool';
import type { WaitCause } from '../limits/waitCause';
import { earliestStartMs, type RequestEntry } from './requestEntry';

/** A queued request's place and expected start. */
export interface QueueEstimate {
  /** 0-based position in dispatch order among all queued requests. */
  readonly position: number;
  readonly startMs: number;
  readonly waitingFor: WaitCause;
}

/** Where a request would go now: its pool and its own wait there. */
export interface EstimatePlan {
  readonly pool: RatePool;
  readonly ownWaitMs: number;
  readonly reserve: Cost;
}

/**
 * Estimates start times by draining the queue in dispatch order against each pool's refill: a
 * request starts once its pool has supplied its cost plus everything queued ahead of it there.
 * O(n) in queued requests; the scheduler calls it at most once a second, after a change.
 */
export function estimateQueue(
  ordered: readonly RequestEntry[],
  nowMs: number,
  planOf: (entry: RequestEntry) => EstimatePlan | undefined,
): Map<string, QueueEstimate> {
  const cumulative = new Map<RatePool, Cost>();
  const estimates = new Map<string, QueueEstimate>();
  ordered.forEach((entry, position) => {
    const plan = planOf(entry);
    if (!plan) return;
    const isFirstInPool = !cumulative.has(plan.pool);
    const sum = cumulative.get(plan.pool) ?? zeroCost();
    for (const d of DIMENSIONS) sum[d] += entry.cost[d];
    cumulative.set(plan.pool, sum);
    const supplyMs = plan.pool.timeToSupplyMs(sum, nowMs);
    const ownMs = Number.isFinite(plan.ownWaitMs) ? plan.ownWaitMs : 0;
    const waitMs = Math.max(ownMs, supplyMs, earliestStartMs(entry, plan.pool) - nowMs);
    let waitingFor: WaitCause = { kind: 'free_slot' };
    const isRateLimited = isRateLimitError(entry.lastError);
    if (entry.notBeforeMs - nowMs >= waitMs && waitMs > 0)
      // After a 429 the pool says which limit (or its cool-down); otherwise it was a transient error.
      waitingFor = isRateLimited
        ? plan.pool.explainWait(entry.cost, plan.reserve, nowMs)
        : { kind: 'transient_retry' };
    else if (
      entry.sharedNotBeforeMs - nowMs >= waitMs &&
      waitMs > 0 &&
      isSharedLonger(entry, plan, supplyMs, nowMs)
    )
      waitingFor = { kind: 'shared_budget' };
    else if (waitMs > 0 && (isFirstInPool || ownMs >= supplyMs))
      waitingFor = plan.pool.explainWait(entry.cost, plan.reserve, nowMs);
    else if (supplyMs > 0) waitingFor = { kind: 'queued_ahead' };
    estimates.set(entry.id, { position, startMs: nowMs + waitMs, waitingFor });
  });
  return estimates;
}

/** A lease wait this close to our own bucket's is the same limit seen twice: our own names it. */
const SHARED_TIE_MS = 250;

/**
 * True when the budget shared with other windows holds `entry` clearly longer than its own pool
 * would. The shared store paces on the same limits, so in a single window the two waits tie, and
 * which one a snapshot named came down to a few milliseconds.
 */
function isSharedLonger(entry: RequestEntry, plan: EstimatePlan, supplyMs: number, nowMs: number): boolean {
  const ownBucketMs = Math.max(supplyMs, plan.pool.waitMs(entry.cost, plan.reserve, nowMs));
  return entry.sharedNotBeforeMs - nowMs > ownBucketMs + SHARED_TIE_MS;
}

/** Estimates every queued request among `live`, in the planner's dispatch order (rank, then submission). */
export function estimateLiveQueue(
  live: Iterable<RequestEntry>,
  planner: DispatchPlanner,
  nowMs: number,
): Map<string, QueueEstimate> {
  const queued = [...live].filter((e) => e.state === 'queued');
  queued.sort((a, b) => planner.rank(a, nowMs) - planner.rank(b, nowMs) || a.seqNo - b.seqNo);
  return estimateQueue(queued, nowMs, (e) => {
    const plan = planner.plan(e, nowMs);
    return plan ? { pool: plan.pool, ownWaitMs: plan.waitMs, reserve: plan.reserve } : undefined;
  });
}
