import type { Cost } from './cost';
import { DimensionLearner } from './dimensionLearner';
import { DIMENSION_WORDS, DIMENSIONS, isTokenDimension, type Dimension } from './dimensions';
import type { RateLimitReport } from './rateLimitHeaders';
import { nextReservationSeq, ReservationLedger, type Reservation } from './reservations';
import { TokenBucket } from './tokenBucket';

export type { Reservation } from './reservations';

/** Per-minute limits; undefined = not known yet (learned from headers). */
export type Limits = Readonly<Partial<Record<Dimension, number>>>;

/** What settings decide about a pool. */
export interface PoolSettings {
  /** Configured per-minute limits (may be empty): the starting point until headers say otherwise. */
  readonly limits: Limits;
  /** Share (0–0.9) of every limit left to other clients. */
  readonly headroomShare: number;
  /** Largest share (0–0.95) of a bucket's burst that a reserve for interactive work may hold back. */
  readonly maxReserveShare: number;
  /** Until the first response, send one request at a time (the burst the server keeps is unknown). */
  readonly probeFirst: boolean;
}

/** Why a pool is not sending right now. */
export type PoolState =
  | { readonly kind: 'ok' }
  | { readonly kind: 'probing' }
  | { readonly kind: 'cooling'; readonly untilMs: number; readonly reason: string };

/** A dimension's state for display. */
export interface PoolDimensionView {
  readonly limit?: number;
  readonly remaining: number;
  readonly capacity: number;
  readonly resetAtMs?: number;
}

/** How much slack header rounding hides: token counts come "rounded to the nearest thousand". */
const ROUNDING_SLACK: Readonly<Record<Dimension, number>> = {
  requests: 0,
  inputTokens: 500,
  outputTokens: 500,
  tokens: 1000, // the sum of two rounded counts when no Workspace limit applies
};
/** Recent answered requests kept for burst learning. */
const ADMITTED_KEPT = 64;
/** Bounds of a pool's window (time to refill from empty) used for time constants. */
const MIN_WINDOW_MS = 100;

/**
 * The budget of one (organization, model class): a continuous bucket per dimension the server
 * shows (requests, input, output, total tokens), shaped by what its headers teach — the limit, the
 * burst it really keeps, other clients' draw — and re-synced from every response (the server wins).
 */
export class RatePool {
  #organizationId: string;
  readonly modelClass: string;
  #settings: PoolSettings;
  #learnedLimit: Partial<Record<Dimension, number>> = {};
  #resetAt: Partial<Record<Dimension, number>> = {};
  readonly #learners = {} as Record<Dimension, DimensionLearner>;
  readonly #buckets = {} as Record<Dimension, TokenBucket>;
  #ledger = new ReservationLedger();
  /** Requests the server answered, newest last: when sent and what they were charged at admission. */
  #admitted: Array<{ readonly atMs: number; readonly reservation: Reservation }> = [];
  #coolingUntilMs = 0;
  #coolingReason = '';
  /** True once a first response (with or without headers) came back: until then one probe at a time. */
  #isContacted = false;
  #concurrencyCap = Number.POSITIVE_INFINITY;
  #rampSlowedAfterSeq = 0;

  /** A pool of `organizationId` for `modelClass` as `settings` configure it. */
  constructor(organizationId: string, modelClass: string, settings: PoolSettings, nowMs: number) {
    this.#organizationId = organizationId;
    this.modelClass = modelClass;
    this.#settings = settings;
    for (const d of DIMENSIONS) {
      this.#learners[d] = new DimensionLearner();
      this.#buckets[d] = new TokenBucket(Number.POSITIVE_INFINITY, 0, nowMs);
      this.#reshape(d, nowMs);
    }
  }

  /** Pool id: organization and model class. */
  get id(): string {
    return `${this.#organizationId}|${this.modelClass}`;
  }

  /** The organization whose budget this is (provisional `key:<id>` until a response names it). */
  get organizationId(): string {
    return this.#organizationId;
  }

  /** Re-labels a provisional pool once its key's organization is known and no pool exists for it yet. */
  rebind(organizationId: string): void {
    this.#organizationId = organizationId;
  }

  /** Takes over the pending reservations of a provisional pool whose key belongs to this organization. */
  adopt(other: RatePool, nowMs: number): void {
    for (const r of this.#ledger.adopt(other.#ledger))
      for (const d of DIMENSIONS) this.#buckets[d].take(r.cost[d], nowMs);
  }

  /** The limit in force for a dimension: the server's if known, else the configured one. */
  limit(dimension: Dimension): number | undefined {
    return this.#learnedLimit[dimension] ?? this.#settings.limits[dimension];
  }

  /** Requests of this pool now in flight. */
  get inFlight(): number {
    return this.#ledger.inFlight;
  }

  /** True until a first response came back (when probing is on): the pool sends one request at a time. */
  get isProbing(): boolean {
    return this.#settings.probeFirst && !this.#isContacted;
  }

  /** Applies changed settings; what headers taught is kept. */
  configure(settings: PoolSettings, nowMs: number): void {
    this.#settings = settings;
    for (const d of DIMENSIONS) this.#reshape(d, nowMs);
  }

  /** The dimension whose limit `cost` exceeds outright (it can never be sent), with the numbers. */
  neverFits(
    cost: Cost,
    isOutputReserved: boolean,
  ): { dimension: Dimension; needed: number; limit: number } | undefined {
    for (const d of DIMENSIONS) {
      if (d === 'outputTokens' && !isOutputReserved) continue;
      const needed = d === 'tokens' && !isOutputReserved ? cost.inputTokens : cost[d];
      const limit = this.limit(d);
      if (limit !== undefined && needed > limit) return { dimension: d, needed, limit };
    }
    return undefined;
  }

  /**
   * Ms until `cost` may start (0 = now; Infinity = only an event can unblock it, e.g. the probe
   * answering). `reserve` is kept untouched in each bucket (for expected interactive work);
   * `debit` asks "as if that were sent first" (backfill).
   */
  waitMs(cost: Cost, reserve: Cost, nowMs: number, debit?: Cost): number {
    const inFlight = this.#ledger.inFlight + (debit ? 1 : 0);
    if (this.isProbing && inFlight > 0) return Number.POSITIVE_INFINITY;
    if (inFlight >= Math.floor(this.#concurrencyCap)) return Number.POSITIVE_INFINITY;
    let wait = Math.max(0, this.#coolingUntilMs - nowMs);
    for (const d of DIMENSIONS) wait = Math.max(wait, this.#dimensionWaitMs(d, cost, reserve, nowMs, debit));
    return wait;
  }

  /** Ms until this pool will have supplied `cumulative` (everything queued ahead and one request). */
  timeToSupplyMs(cumulative: Cost, nowMs: number): number {
    let wait = Math.max(0, this.#coolingUntilMs - nowMs);
    for (const d of DIMENSIONS) {
      const bucket = this.#buckets[d];
      if (!Number.isFinite(bucket.capacity) || bucket.ratePerMs <= 0) continue;
      const missing = cumulative[d] - bucket.levelAt(nowMs);
      if (missing > 0) wait = Math.max(wait, Math.ceil(missing / bucket.ratePerMs));
    }
    return wait;
  }

  /** In words, what `cost` waits for in this pool ("input tokens per minute", a cool-down, …). */
  explainWait(cost: Cost, reserve: Cost, nowMs: number): string {
    if (this.#coolingUntilMs > nowMs) return this.#coolingReason || 'cool-down';
    if (this.#ledger.inFlight >= Math.floor(this.#concurrencyCap))
      return 'slower ramp-up after an acceleration limit';
    if (this.isProbing && this.#ledger.inFlight > 0) return 'first response (learning the limits)';
    let worst: Dimension | undefined;
    let worstWait = 0;
    for (const d of DIMENSIONS) {
      const w = this.#dimensionWaitMs(d, cost, reserve, nowMs);
      if (w > worstWait) [worstWait, worst] = [w, d];
    }
    return worst === undefined ? 'a free slot' : DIMENSION_WORDS[worst];
  }

  /** Takes `cost` from the buckets as the request is sent; returns its reservation. */
  reserve(cost: Cost, nowMs: number): Reservation {
    for (const d of DIMENSIONS) this.#buckets[d].take(cost[d], nowMs);
    return this.#ledger.add(cost, nowMs);
  }

  /** The server refused the request (429 etc.): nothing was consumed, give everything back. */
  refund(reservation: Reservation, nowMs: number): void {
    this.#isContacted = true;
    if (!this.#ledger.forget(reservation)) return;
    for (const d of DIMENSIONS) this.#buckets[d].give(reservation.cost[d], nowMs);
  }

  /**
   * The request ended having really used `actual` (input as counted toward the limit, output
   * generated). Differences from the reservation go back to (or come out of) the buckets, and a
   * burst learned from its response is corrected by what its estimate missed. `isAnswered`: the
   * server certainly took it (a 200, even one that broke off), not a request lost on the way.
   */
  settle(
    reservation: Reservation,
    actual: Pick<Cost, 'inputTokens' | 'outputTokens'>,
    nowMs: number,
    isAnswered: boolean,
  ): void {
    this.#isContacted = true;
    // Answered without headers: the server admitted it all the same (burst learning counts it).
    if (isAnswered && !reservation.isHeard && !reservation.isDone) this.#noteAdmitted(reservation);
    if (!this.#ledger.finish(reservation)) return;
    const inputDelta = reservation.cost.inputTokens - actual.inputTokens;
    const outputDelta = reservation.cost.outputTokens - actual.outputTokens;
    const refunds: Partial<Record<Dimension, number>> = { outputTokens: outputDelta, tokens: outputDelta };
    if (!reservation.isInputSeenByServer) {
      refunds.inputTokens = inputDelta;
      refunds.tokens = inputDelta + outputDelta;
    }
    for (const d of DIMENSIONS) if (refunds[d]) this.#buckets[d].give(refunds[d], nowMs);
    for (const d of ['inputTokens', 'tokens'] as const)
      if (this.#learners[d].correct(reservation.seq, -inputDelta)) this.#reshape(d, nowMs);
    reservation.cost.inputTokens = actual.inputTokens;
    reservation.cost.outputTokens = actual.outputTokens;
    reservation.cost.tokens = actual.inputTokens + actual.outputTokens;
  }

  /**
   * Re-syncs from a response's headers. The server computed them when it answered `source`, so
   * what the ledger says it cannot have counted yet is subtracted to get our true level.
   * `isAdmitted`: the server took the request (a 200), so `remaining` already has its charge.
   */
  sync(report: RateLimitReport, source: Reservation | undefined, nowMs: number, isAdmitted: boolean): void {
    if (!report.hasRateLimitHeaders) return;
    this.#isContacted = true;
    if (isAdmitted && source && !source.isHeard) this.#noteAdmitted(source);
    for (const d of DIMENSIONS) {
      const dim = report.dimensions[d];
      if (dim === undefined) continue;
      if (dim.limit !== undefined && dim.limit !== this.#learnedLimit[d]) {
        if (this.#learnedLimit[d] !== undefined) this.#learners[d].forget();
        this.#learnedLimit[d] = dim.limit;
        this.#reshape(d, nowMs);
      }
      if (dim.resetAtMs !== undefined) this.#resetAt[d] = dim.resetAtMs;
      if (dim.remaining === undefined || this.limit(d) === undefined) continue;
      const reported =
        dim.remaining - (isTokenDimension(d) && dim.remaining % 1000 === 0 ? ROUNDING_SLACK[d] : 0);
      // A refusal's headers show 0 on the limiter that refused (not its level): learn nothing from them.
      const learner = this.#learners[d];
      if (
        isAdmitted &&
        source &&
        learner.observeLevel(this.#levelBeforeRecent(d, reported, nowMs), source.seq)
      )
        this.#reshape(d, nowMs);
      this.#adoptServerLevel(d, reported, source, nowMs, isAdmitted ? 'learn' : 'set');
      // After the moving average: a net refill read from `-reset` is a floor it must not pull down.
      if (isAdmitted && learner.learnNetRefill(dim.remaining, dim.resetAtMs, nowMs, this.limit(d)!))
        this.#reshape(d, nowMs);
    }
    if (source !== undefined) this.#ledger.markSynced(source);
  }

  /**
   * A 429 on `dimension`: the server's level there was short of `cost` by what `retryAfterMs` of
   * refill brings ("wait until this request fits"), or, without it, what `-reset` says is missing.
   */
  note429(
    dimension: Dimension,
    report: RateLimitReport,
    cost: Cost,
    retryAfterMs: number | undefined,
    nowMs: number,
  ): void {
    const bucket = this.#buckets[dimension];
    if (!Number.isFinite(bucket.capacity)) return;
    const resetAt = report.dimensions[dimension]?.resetAtMs;
    const level =
      retryAfterMs !== undefined
        ? cost[dimension] - bucket.ratePerMs * retryAfterMs
        : resetAt !== undefined
          ? bucket.capacity - bucket.ratePerMs * Math.max(0, resetAt - nowMs)
          : 0;
    this.#adoptServerLevel(dimension, Math.min(level, cost[dimension] - 1), undefined, nowMs, 'lower');
  }

  /** Stops sending from this pool until `untilMs` (a 429's retry-after or reset). */
  coolUntil(untilMs: number, reason: string): void {
    if (untilMs > this.#coolingUntilMs) {
      this.#coolingUntilMs = untilMs;
      this.#coolingReason = reason;
    }
  }

  /** Ends a cool-down early (the user's "Retry now"). */
  clearCooling(): void {
    this.#coolingUntilMs = 0;
  }

  /** Slows the ramp after an acceleration-limit 429: half as many in flight, growing back by about one per round. */
  slowRamp(): void {
    this.#concurrencyCap = Math.max(
      1,
      Math.floor(Math.min(this.#concurrencyCap, this.#ledger.inFlight + 1) / 2),
    );
    this.#rampSlowedAfterSeq = nextReservationSeq();
  }

  /** A request succeeded; one sent after the last slowdown lets a slowed ramp grow (additive increase). */
  noteSuccess(reservation: Reservation): void {
    if (!Number.isFinite(this.#concurrencyCap) || reservation.seq < this.#rampSlowedAfterSeq) return;
    this.#concurrencyCap += 1 / Math.max(1, Math.floor(this.#concurrencyCap));
    if (this.#concurrencyCap > 64) this.#concurrencyCap = Number.POSITIVE_INFINITY;
  }

  /** End of the current cool-down, or 0. */
  coolingUntilMs(nowMs: number): number {
    return this.#coolingUntilMs > nowMs ? this.#coolingUntilMs : 0;
  }

  /**
   * The time this pool's slowest bucket takes to refill from empty (the server's enforcement
   * window as far as we know it): the unit of the scheduler's time constants.
   */
  windowMs(): number | undefined {
    let window: number | undefined;
    for (const d of DIMENSIONS) {
      const bucket = this.#buckets[d];
      if (!Number.isFinite(bucket.capacity) || bucket.ratePerMs <= 0 || bucket.capacity <= 0) continue;
      window = Math.max(window ?? 0, bucket.capacity / bucket.ratePerMs);
    }
    return window === undefined ? undefined : Math.max(MIN_WINDOW_MS, window);
  }

  /** The pool's state for display. */
  state(nowMs: number): PoolState {
    if (this.#coolingUntilMs > nowMs)
      return { kind: 'cooling', untilMs: this.#coolingUntilMs, reason: this.#coolingReason };
    if (DIMENSIONS.every((d) => this.limit(d) === undefined)) return { kind: 'probing' };
    return { kind: 'ok' };
  }

  /** One dimension's numbers for display: limit, what we believe remains, reset time. */
  view(dimension: Dimension, nowMs: number): PoolDimensionView {
    const bucket = this.#buckets[dimension];
    const limit = this.limit(dimension);
    const level = bucket.levelAt(nowMs);
    const remaining = Number.isFinite(level) ? Math.max(0, Math.floor(level)) : 0;
    const fullAt =
      bucket.ratePerMs > 0 && Number.isFinite(bucket.capacity)
        ? nowMs + Math.ceil(Math.max(0, bucket.capacity - level) / bucket.ratePerMs)
        : this.#resetAt[dimension];
    return {
      ...(limit !== undefined ? { limit } : {}),
      remaining,
      capacity: Number.isFinite(bucket.capacity) ? bucket.capacity : 0,
      ...(fullAt !== undefined ? { resetAtMs: fullAt } : {}),
    };
  }

  /** Share (0–1) of the tightest known dimension still available, or undefined with no limits known. */
  headroom(nowMs: number): number | undefined {
    let tightest: number | undefined;
    for (const d of DIMENSIONS) {
      const bucket = this.#buckets[d];
      if (!Number.isFinite(bucket.capacity) || bucket.capacity <= 0) continue;
      const share = Math.max(0, Math.min(1, bucket.levelAt(nowMs) / bucket.capacity));
      tightest = tightest === undefined ? share : Math.min(tightest, share);
    }
    return tightest;
  }

  #dimensionWaitMs(d: Dimension, cost: Cost, reserve: Cost, nowMs: number, debit?: Cost): number {
    const bucket = this.#buckets[d];
    if (!Number.isFinite(bucket.capacity)) return 0;
    // A request above the believed burst (but within the limit) goes when the bucket is full: the
    // burst is a lower bound, and the server's answer teaches the rest.
    const held = Math.min(reserve[d], this.#settings.maxReserveShare * bucket.capacity);
    const needed = Math.min(bucket.capacity, cost[d] + held);
    return bucket.waitMs(needed, nowMs, debit?.[d] ?? 0);
  }

  #noteAdmitted(source: Reservation): void {
    // Answers arrive out of order; keep the history in sending order.
    let at = this.#admitted.length;
    while (at > 0 && this.#admitted[at - 1]!.atMs > source.atMs) at--;
    this.#admitted.splice(at, 0, { atMs: source.atMs, reservation: source });
    if (this.#admitted.length > ADMITTED_KEPT) this.#admitted.shift();
  }

  /**
   * The highest level the server must have had lately: for each recent admission k, the level then
   * was at least what remains now plus everything charged since k, less the most a bucket can
   * refill in that time (its limit's rate) — others' draw only makes it higher. So a burst sent
   * together teaches the whole burst from any one of its answers.
   */
  #levelBeforeRecent(d: Dimension, reported: number, nowMs: number): number {
    const ratePerMs = (this.limit(d) ?? 0) / 60_000;
    let charged = 0;
    let best = Number.NEGATIVE_INFINITY;
    for (let i = this.#admitted.length - 1; i >= 0; i--) {
      const { atMs, reservation } = this.#admitted[i]!;
      charged += this.#admissionCharge(d, reservation);
      best = Math.max(best, reported + charged - ratePerMs * Math.max(0, nowMs - atMs));
    }
    return best;
  }

  /** What the server charged request `source` in dimension `d` at admission (before any output). */
  #admissionCharge(d: Dimension, source: Reservation): number {
    if (d === 'requests') return source.cost.requests;
    if (d === 'inputTokens') return source.cost.inputTokens;
    // Real-time OTPM charges output as it is generated: nothing of it at admission.
    return d === 'tokens' ? source.cost.inputTokens : 0;
  }

  /**
   * Sets a dimension's level from what the server reported, less what it cannot have counted yet.
   * `learn`: a 200's headers, also a sample of other clients' draw; `lower`: only ever lowers it.
   */
  #adoptServerLevel(
    d: Dimension,
    reported: number,
    source: Reservation | undefined,
    nowMs: number,
    mode: 'learn' | 'set' | 'lower',
  ): void {
    const bucket = this.#buckets[d];
    const limit = this.limit(d);
    if (limit === undefined || !Number.isFinite(bucket.capacity)) return;
    const headroom = this.#settings.headroomShare * this.#learners[d].capacity(limit);
    const level = reported - this.#ledger.unseen(d, source) - headroom;
    const predicted = bucket.levelAt(nowMs);
    if (
      mode === 'learn' &&
      this.#learners[d].learnExternal(predicted, level, nowMs, limit, this.windowMs() ?? 60_000)
    )
      this.#reshape(d, nowMs);
    bucket.setLevel(mode === 'lower' ? Math.min(predicted, level) : level, nowMs);
  }

  #reshape(d: Dimension, nowMs: number): void {
    const limit = this.limit(d);
    const bucket = this.#buckets[d];
    if (limit === undefined) {
      bucket.reshape(Number.POSITIVE_INFINITY, 0, nowMs);
      return;
    }
    const own = 1 - this.#settings.headroomShare;
    const wasUnknown = !Number.isFinite(bucket.capacity);
    const learner = this.#learners[d];
    bucket.reshape(learner.capacity(limit) * own, learner.refillPerMinute(limit) * own, nowMs);
    if (wasUnknown) bucket.setLevel(bucket.capacity, nowMs);
  }
}
