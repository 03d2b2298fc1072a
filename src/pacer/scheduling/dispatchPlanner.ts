import { requestCost, zeroCost, type Cost } from '../limits/cost';
import { DIMENSIONS } from '../limits/dimensions';
import type { FifoLane } from './fifoLane';
import type { InteractiveDemand } from './interactiveDemand';
import type { KeyInfo, KeyPool } from '../keys/keyPool';
import type { PoolRegistry } from '../limits/poolRegistry';
import type { RatePool } from '../limits/ratePool';
import { earliestStartMs, type RequestEntry } from './requestEntry';
import type { SchedulerOptions } from './schedulerOptions';

/** Candidates looked at behind a waiting head when backfilling, so a decision stays O(1) in queue length. */
const BACKFILL_SCAN = 32;
/** Aging never steps faster than this, however short the server's window. */
const MIN_AGING_STEP_MS = 500;

/** Where and when a request can go: the key, its pool, the wait, what it must leave in the buckets. */
export interface Plan {
  readonly keyId: string;
  readonly pool: RatePool;
  readonly waitMs: number;
  readonly reserve: Cost;
}

/** What the planner reads of the scheduler's state. */
export interface PlannerView {
  readonly lanes: ReadonlyArray<FifoLane<RequestEntry>>;
  readonly keys: KeyPool;
  readonly pools: PoolRegistry;
  readonly demand: InteractiveDemand;
  options(): SchedulerOptions;
  /** Attempts in flight and leases being asked for: both hold a slot. */
  inFlight(): number;
  /** True while a request waits for a shared budget's answer: planning passes it by. */
  isHeld(entry: RequestEntry): boolean;
}

/** The key the next request of a model class would go out with, its pool (none before first use) and its wait. */
export interface NextPool {
  readonly key: KeyInfo;
  readonly pool: RatePool | undefined;
  readonly waitMs: number;
}

/** A request that may start behind the waiting head, when the next look is due, and requests that can go nowhere. */
export interface BackfillResult {
  readonly entry?: RequestEntry;
  readonly plan?: Plan;
  readonly wakeAtMs: number;
  readonly doomed: readonly RequestEntry[];
}

/**
 * Scheduling decisions: which request is the head (priority with aging), which key lets a request
 * start soonest, and which later request may start early without delaying the head (backfill).
 *
 * Aging: only a lane's head ages, from the moment it became head, one lane up per step, the step
 * being the server's window for its model class (bounded by `agingStepMs`). A starved lane thus
 * gets a request through every few windows, while a fresh interactive request arriving into a
 * long background backlog still goes first: the backlog does not age as a whole.
 */
export class DispatchPlanner {
  readonly #view: PlannerView;
  /** Usable keys, least recently used first; recomputed once per scheduling pass. */
  #usableKeys?: KeyInfo[];

  /** Reads state through `view`. */
  constructor(view: PlannerView) {
    this.#view = view;
  }

  /** Forgets the cached key order (a key was used, added, removed or blocked). */
  invalidateKeys(): void {
    this.#usableKeys = undefined;
  }

  /** Rank after aging: a lane head rises one lane per aging step it has been head. */
  rank(entry: RequestEntry, nowMs: number): number {
    if (entry.headSinceMs === undefined) return entry.laneRank;
    const steps = Math.floor((nowMs - entry.headSinceMs) / this.#agingStepMs(entry));
    return Math.max(0, entry.laneRank - steps);
  }

  /** The request to serve next: best aged rank among lane heads (passing held ones), oldest first on ties. */
  head(nowMs: number): RequestEntry | undefined {
    let best: RequestEntry | undefined;
    let bestRank = Number.POSITIVE_INFINITY;
    for (const lane of this.#view.lanes) {
      let candidate: RequestEntry | undefined;
      for (const entry of lane) {
        if (this.#view.isHeld(entry)) continue;
        candidate = entry;
        break;
      }
      if (!candidate) continue;
      candidate.headSinceMs ??= nowMs;
      const rank = this.rank(candidate, nowMs);
      if (rank < bestRank || (rank === bestRank && best && candidate.seqNo < best.seqNo)) {
        best = candidate;
        bestRank = rank;
      }
    }
    return best;
  }

  /** Earliest moment a lane head's aged rank changes, when that could reorder heads. */
  nextAgingMs(nowMs: number): number {
    const heads = this.#view.lanes.map((l) => l.at(0)).filter((e): e is RequestEntry => e !== undefined);
    if (heads.length < 2) return Number.POSITIVE_INFINITY;
    let next = Number.POSITIVE_INFINITY;
    for (const e of heads) {
      if (this.rank(e, nowMs) === 0 || e.headSinceMs === undefined) continue;
      const step = this.#agingStepMs(e);
      const waited = nowMs - e.headSinceMs;
      // Never now or earlier: a wake-up that cannot change a rank would fire again at once.
      next = Math.min(next, Math.max(nowMs + 1, e.headSinceMs + (Math.floor(waited / step) + 1) * step));
    }
    return next;
  }

  /**
   * What a request must leave in the buckets: background work leaves the expected interactive
   * demand (so the next question starts at once), but at most what the background work of its class
   * queued behind it will draw: what the last requests of a backlog leave unused only delays the
   * backlog's end. Interactive and command work leave nothing.
   */
  reserveFor(entry: RequestEntry, nowMs: number): Cost {
    if (entry.lane !== 'background' || !this.#view.demand.isExpected(entry.modelClass, nowMs))
      return zeroCost();
    const reserve = this.#view.demand.reserve(entry.modelClass, nowMs);
    const lane = this.#view.lanes[entry.laneRank];
    if (!lane) return reserve;
    // From the lane's tail back to `entry`: usually one request behind already covers the reserve.
    // Bounded like backfill, so a decision stays O(1) in queue length; past the bound, all of it.
    const behind = zeroCost();
    for (let i = lane.length - 1, scanned = 0; i >= 0; i--) {
      const other = lane.at(i)!;
      if (other === entry) break;
      if (++scanned > BACKFILL_SCAN) return reserve;
      if (other.modelClass !== entry.modelClass) continue;
      for (const d of DIMENSIONS) behind[d] += other.cost[d];
      if (DIMENSIONS.every((d) => behind[d] >= reserve[d])) return reserve;
    }
    const held = zeroCost();
    for (const d of DIMENSIONS) held[d] = Math.min(reserve[d], behind[d]);
    return held;
  }

  /**
   * True when `entry` must leave the last request slot free (`maxInFlight`): background work does
   * while interactive requests are expected, as it leaves their cost in the buckets. Otherwise a
   * background burst that fills every slot makes the next question wait for one to free: the
   * slots free in step with the burst, a whole answer's latency later.
   */
  leavesSlotForInteractive(entry: RequestEntry, nowMs: number): boolean {
    if (entry.lane !== 'background' || this.#view.options().maxInFlight < 2) return false;
    return this.#view.demand.isExpected(entry.modelClass, nowMs);
  }

  /**
   * The key that lets `entry` start soonest (ties: least recently used), or undefined when none can.
   *
   * First contact: a key whose organization is not known yet may share its budget with any other
   * key, so its probe goes only while nothing else of the model class is in flight, and while a
   * probe is due the other pools of the class send nothing new. Sending both at once is how two
   * keys of one organization would draw 429s from each other.
   */
  plan(entry: RequestEntry, nowMs: number): Plan | undefined {
    const reserve = this.reserveFor(entry, nowMs);
    const isOutputReserved = this.#view.options().otpmRegime === 'legacy';
    this.#usableKeys ??= this.#view.keys.usableKeys(nowMs);
    const candidates = this.#usableKeys.map((key) => ({
      key,
      pool: this.#view.pools.poolFor(key.id, entry.modelClass),
    }));
    const best = this.#soonest(
      candidates,
      entry.cost,
      reserve,
      (pool) => earliestStartMs(entry, pool),
      nowMs,
      isOutputReserved,
    );
    return best && { keyId: best.key.id, pool: best.pool, waitMs: best.waitMs, reserve };
  }

  /**
   * Where the next request of `modelClass` would go (the same choice as {@link plan}, for a
   * one-request cost), without creating a pool: `pool` is undefined for a key that has none yet.
   */
  nextPool(modelClass: string, nowMs: number): NextPool | undefined {
    const candidates = this.#view.keys
      .usableKeys(nowMs)
      .map((key) => ({ key, pool: this.#view.pools.find(key.id, modelClass) }));
    return this.#soonest(candidates, requestCost(0, 0), zeroCost(), () => 0, nowMs, false);
  }

  /** The candidate that starts soonest (ties: the earlier one); a missing pool is a fresh, full one. */
  #soonest<P extends RatePool | undefined>(
    candidates: ReadonlyArray<{ readonly key: KeyInfo; readonly pool: P }>,
    cost: Cost,
    reserve: Cost,
    notBeforeOf: (pool: RatePool | undefined) => number,
    nowMs: number,
    isOutputReserved: boolean,
  ): { readonly key: KeyInfo; readonly pool: P; readonly waitMs: number } | undefined {
    const isProbing = (pool: RatePool | undefined): boolean =>
      pool?.isProbing ?? this.#view.options().probeFirst;
    const isProbeDue = candidates.some((c) => isProbing(c.pool));
    const isClassBusy = candidates.some((c) => (c.pool?.inFlight ?? 0) > 0);
    let best: { key: KeyInfo; pool: P; waitMs: number } | undefined;
    for (const { key, pool } of candidates) {
      if (pool?.neverFits(cost, isOutputReserved)) continue;
      const isHeldForProbe = isProbing(pool) ? isClassBusy : isProbeDue;
      const waitMs = isHeldForProbe
        ? Number.POSITIVE_INFINITY
        : Math.max(notBeforeOf(pool) - nowMs, pool?.waitMs(cost, reserve, nowMs) ?? 0);
      if (!best || waitMs < best.waitMs) best = { key, pool, waitMs };
    }
    return best;
  }

  /**
   * A request behind the waiting head that can start now without delaying the head's start: it
   * draws on another pool, or leaves the head's pool able to serve the head just as soon.
   */
  backfill(head: RequestEntry, headPlan: Plan, nowMs: number): BackfillResult {
    let wakeAtMs = Number.POSITIVE_INFINITY;
    const doomed: RequestEntry[] = [];
    // Keep a slot for the head: a filler still in flight when the head is due would delay it.
    if (this.#view.inFlight() + 1 >= this.#view.options().maxInFlight) return { wakeAtMs, doomed };
    let scanned = 0;
    const headBucketWaitMs = headPlan.pool.waitMs(head.cost, headPlan.reserve, nowMs);
    for (const lane of this.#view.lanes) {
      for (const entry of lane) {
        if (++scanned > BACKFILL_SCAN) return { wakeAtMs, doomed };
        if (entry === head || this.#view.isHeld(entry)) continue;
        const plan = this.plan(entry, nowMs);
        if (!plan) {
          doomed.push(entry);
          continue;
        }
        if (plan.waitMs > 0) {
          // A same-pool filler can only pass before the head when the head waits on something other
          // than the buckets (a retry backoff); otherwise waking for it would be a wasted wake-up.
          const couldPass = plan.pool !== headPlan.pool || headBucketWaitMs < headPlan.waitMs;
          if (couldPass) wakeAtMs = Math.min(wakeAtMs, nowMs + plan.waitMs);
          continue;
        }
        if (plan.pool === headPlan.pool) {
          const headWaitAfter = Math.max(
            earliestStartMs(head, plan.pool) - nowMs,
            plan.pool.waitMs(head.cost, headPlan.reserve, nowMs, entry.cost),
          );
          if (headWaitAfter > headPlan.waitMs) continue;
        }
        return { entry, plan, wakeAtMs, doomed };
      }
    }
    return { wakeAtMs, doomed };
  }

  #agingStepMs(entry: RequestEntry): number {
    const bound = Math.max(MIN_AGING_STEP_MS, this.#view.options().agingStepMs);
    const window = this.#view.pools.windowMsOf(entry.modelClass) ?? bound;
    // Whole milliseconds: a fractional step makes rank changes fall between clock readings.
    return Math.round(Math.min(bound, Math.max(MIN_AGING_STEP_MS, window)));
  }
}
