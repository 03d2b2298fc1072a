import { exceededLimit, type Cost, type ExceededLimit } from './cost';
import { DimensionLearner } from './dimensionLearner';
import { dimensionWaitMs } from './dimensionWait';
import { DIMENSIONS, isTokenDimension, type Dimension } from './dimensions';
import type { WaitCause } from './waitCause';
import type { RateLimitReport } from './rateLimitHeaders';
import { AdmissionHistory } from './admissionHistory';
import { BracketFeed } from './bracketFeed';
import { ChargeRatios } from './chargeRatios';
import { dimensionView, slowestWindowMs, tightestShare } from './poolView';
import type { PoolDimensionView, PoolState } from './poolView';
import { likeliestAbove, ROUNDING_SLACK, roundingStep, type PoolSettings } from './poolSettings';
import { PoolThrottle } from './poolThrottle';
import { refusalLevel } from './refusalLevel';
import { ReservationLedger, type Reservation } from './reservations';
import { SyncedBucket, type SyncResult } from './syncedBucket';
import type { TokenBucket } from './tokenBucket';

export type { Reservation } from './reservations';
export type { PoolDimensionView, PoolState } from './poolView';
export type { Limits, PoolSettings } from './poolSettings';

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
  readonly #buckets = {} as Record<Dimension, SyncedBucket>;
  #ledger = new ReservationLedger();
  readonly #admitted = new AdmissionHistory();
  /** What holds the whole pool back apart from its buckets: a cool-down after a 429, a slowed ramp. */
  readonly throttle = new PoolThrottle();
  readonly #chargeRatios = new ChargeRatios();
  readonly #brackets: BracketFeed;
  /** The bucket admission waits on, per dimension (each SyncedBucket keeps its own for good). */
  readonly #paced: readonly TokenBucket[];
  /** True once a first response (with or without headers) came back: until then one probe at a time. */
  #isContacted = false;

  /** A pool of `organizationId` for `modelClass` as `settings` configure it. */
  constructor(organizationId: string, modelClass: string, settings: PoolSettings, nowMs: number) {
    this.#organizationId = organizationId;
    this.modelClass = modelClass;
    this.#settings = settings;
    for (const d of DIMENSIONS) {
      this.#learners[d] = new DimensionLearner();
      this.#buckets[d] = new SyncedBucket(nowMs);
      this.#reshape(d, nowMs);
    }
    this.#paced = DIMENSIONS.map((d) => this.#buckets[d].paced);
    this.#brackets = new BracketFeed(this.#learners, this, this.#chargeRatios, (d, t) => this.#reshape(d, t));
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
  neverFits(cost: Cost, isOutputReserved: boolean): ExceededLimit | undefined {
    return exceededLimit(cost, (d) => this.limit(d), isOutputReserved);
  }

  /** Ms until `cost` may start, leaving `reserve`, as if `debit` went first (Infinity: only an answer can unblock it). */
  waitMs(cost: Cost, reserve: Cost, nowMs: number, debit?: Cost): number {
    const inFlight = this.#ledger.inFlight + (debit ? 1 : 0);
    if (this.isProbing && inFlight > 0) return Number.POSITIVE_INFINITY;
    if (this.throttle.isRampFull(inFlight)) return Number.POSITIVE_INFINITY;
    let wait = Math.max(0, this.throttle.coolingUntilMs(nowMs) - nowMs);
    for (const d of DIMENSIONS) wait = Math.max(wait, this.#dimensionWaitMs(d, cost, reserve, nowMs, debit));
    return wait;
  }

  /** Ms until this pool will have supplied `cumulative` (everything queued ahead and one request). */
  timeToSupplyMs(cumulative: Cost, nowMs: number): number {
    let wait = Math.max(0, this.throttle.coolingUntilMs(nowMs) - nowMs);
    for (const d of DIMENSIONS) {
      const bucket = this.#buckets[d].paced;
      if (!Number.isFinite(bucket.capacity) || bucket.ratePerMs <= 0) continue;
      const missing = cumulative[d] - bucket.levelAt(nowMs);
      if (missing > 0) wait = Math.max(wait, Math.ceil(missing / bucket.ratePerMs));
    }
    return wait;
  }

  /** What `cost` waits for in this pool: a dimension's refill, a cool-down, the ramp, … */
  explainWait(cost: Cost, reserve: Cost, nowMs: number): WaitCause {
    if (this.throttle.coolingUntilMs(nowMs) > 0)
      return { kind: 'cool_down', limit: this.throttle.cooledLimit };
    if (this.throttle.isRampFull(this.#ledger.inFlight)) return { kind: 'ramp' };
    if (this.isProbing && this.#ledger.inFlight > 0) return { kind: 'first_response' };
    let worst: Dimension | undefined;
    let worstWait = 0;
    for (const d of DIMENSIONS) {
      const w = this.#dimensionWaitMs(d, cost, reserve, nowMs);
      if (w > worstWait) [worstWait, worst] = [w, d];
    }
    return worst === undefined ? { kind: 'free_slot' } : { kind: 'limit', dimension: worst };
  }

  /** Takes `cost` from the buckets as request `requestId` is sent; returns its reservation. */
  reserve(cost: Cost, nowMs: number, requestId?: string): Reservation {
    for (const d of DIMENSIONS) this.#buckets[d].take(cost[d], nowMs);
    const reservation = this.#ledger.add(cost, nowMs, requestId);
    this.#brackets.sent(reservation);
    return reservation;
  }

  /** The server refused the request (429 etc.): nothing was consumed, give everything back. */
  refund(reservation: Reservation, nowMs: number): void {
    this.#isContacted = true;
    this.#brackets.voided(reservation);
    if (!this.#ledger.forget(reservation)) return;
    for (const d of DIMENSIONS) this.#buckets[d].give(reservation.cost[d], nowMs);
  }

  /**
   * The request ended having used `actual`: differences from the reservation go back to the buckets
   * and correct a burst learned from its answer. `isAnswered`: the server took it (a 200).
   */
  settle(
    reservation: Reservation,
    actual: Pick<Cost, 'inputTokens' | 'outputTokens'>,
    nowMs: number,
    isAnswered: boolean,
  ): void {
    this.#isContacted = true;
    // Answered without headers: the server admitted it all the same (burst learning counts it).
    if (isAnswered && !reservation.isHeard && !reservation.isDone) this.#admitted.note(reservation);
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
    this.#brackets.settled(reservation, isAnswered, nowMs);
  }

  /**
   * Re-syncs from a response's headers. The server computed them when it answered `source`, so
   * what the ledger says it cannot have counted yet is subtracted to get our true level.
   * `isAdmitted`: the server took the request (a 200), so `remaining` already has its charge.
   */
  sync(report: RateLimitReport, source: Reservation | undefined, nowMs: number, isAdmitted: boolean): void {
    if (!report.hasRateLimitHeaders) return;
    this.#isContacted = true;
    if (isAdmitted && source && !source.isHeard) this.#admitted.note(source);
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
      const slack = isTokenDimension(d) && dim.remaining % 1000 === 0 ? ROUNDING_SLACK[d] : 0;
      const reported = dim.remaining - slack;
      // A refusal's headers show 0 on the limiter that refused (not its level): learn nothing from them.
      const learner = this.#learners[d];
      const levelBefore = (): number =>
        this.#admitted.levelBefore(d, reported, this.limit(d)! / 60_000, nowMs);
      if (isAdmitted && source && learner.observeLevel(levelBefore(), source.seq)) this.#reshape(d, nowMs);
      this.#adoptServerLevel(d, reported, likeliestAbove(reported, slack), source, nowMs);
      if (isAdmitted && source) this.#brackets.admitted(d, source, dim.remaining, nowMs);
      // After the corrections: a net refill read from `-reset` is a floor they must not pull down.
      if (isAdmitted && learner.learnNetRefill(dim.remaining, dim.resetAtMs, nowMs, this.limit(d)!))
        this.#reshape(d, nowMs);
    }
    if (source !== undefined) this.#ledger.markSynced(source);
  }

  /** A 429 on `dimension`: the level was short of `cost` by `retryAfterMs` of refill, else by what `-reset` says. */
  note429(
    dimension: Dimension,
    report: RateLimitReport,
    cost: Cost,
    retryAfterMs: number | undefined,
    nowMs: number,
    refused?: Reservation,
  ): void {
    const bucket = this.#buckets[dimension].paced;
    const limit = this.limit(dimension);
    if (!Number.isFinite(bucket.capacity) || limit === undefined) return;
    const resetAt = report.dimensions[dimension]?.resetAtMs;
    const resetInMs = resetAt === undefined ? undefined : resetAt - nowMs;
    const refusal = { dimension, cost: cost[dimension], retryAfterMs, resetInMs };
    const level = refusalLevel(refusal, bucket.capacity, bucket.ratePerMs);
    this.#buckets[dimension].lowerTo(this.#ourLevel(dimension, level, undefined, limit), nowMs);
    // The server held less than this request's charge: for tokens that is the ceiling (its headers'
    // level, when they show one, is already read). A count's level lies below one request: with a
    // burst of about one, refusals are what show others' draw, taken at their lower edge.
    if (refused === undefined) return;
    this.#brackets.refused(dimension, refused, cost[dimension], nowMs);
    const held = isTokenDimension(dimension) ? cost[dimension] : 0;
    const ceiling = this.#ourLevel(dimension, held, refused, limit);
    this.#learn(dimension, this.#buckets[dimension].refused(ceiling, nowMs), nowMs);
  }

  /** Time the slowest bucket takes to refill from empty (the server's window, as known; at least `floorMs`): the unit of time constants. */
  windowMs(floorMs?: number): number | undefined {
    return slowestWindowMs(this.#paced, floorMs);
  }

  /** The pool's state for display. */
  state(nowMs: number): PoolState {
    const untilMs = this.throttle.coolingUntilMs(nowMs);
    if (untilMs > 0) return { kind: 'cooling', untilMs, cooledLimit: this.throttle.cooledLimit };
    if (DIMENSIONS.every((d) => this.limit(d) === undefined)) return { kind: 'probing' };
    return { kind: 'ok' };
  }

  /** One dimension's numbers for display: limit, what we believe remains, reset time. */
  view(dimension: Dimension, nowMs: number): PoolDimensionView {
    return dimensionView(
      this.#buckets[dimension].paced,
      this.limit(dimension),
      this.#resetAt[dimension],
      nowMs,
    );
  }

  /** Share (0–1) of the tightest known dimension still available, or undefined with no limits known. */
  headroom(nowMs: number): number | undefined {
    return tightestShare(this.#paced, nowMs);
  }

  #dimensionWaitMs(d: Dimension, cost: Cost, reserve: Cost, nowMs: number, debit?: Cost): number {
    // An input estimate may fall short by as much as the server's counts lately exceeded ours.
    const undercount = d === 'inputTokens' || d === 'tokens' ? this.#chargeRatios.highest - 1 : 0;
    const demand = {
      dimension: d,
      cost: cost[d] + cost.inputTokens * undercount,
      reserve: reserve[d],
      maxReserveShare: this.#settings.maxReserveShare,
      isDrawEstimated: this.#learners[d].othersDraw === 'estimated',
      debit: debit?.[d] ?? 0,
    };
    return dimensionWaitMs(this.#buckets[d].paced, demand, nowMs);
  }

  /** Our bucket's level for a server level `reported` as of `source`: less what it has not counted and the headroom kept for others. */
  #ourLevel(d: Dimension, reported: number, source: Reservation | undefined, limit: number): number {
    const headroom = this.#settings.headroomShare * this.#learners[d].capacity(limit);
    return reported - this.#ledger.unseen(d, source) - headroom;
  }

  /** Sets a level from what the server reported less what it has not counted, learning others' draw. */
  #adoptServerLevel(
    d: Dimension,
    reported: number,
    likeliest: number,
    source: Reservation | undefined,
    nowMs: number,
  ): void {
    const synced = this.#buckets[d];
    const bucket = synced.paced;
    const limit = this.limit(d);
    if (limit === undefined || !Number.isFinite(bucket.capacity)) return;
    const learner = this.#learners[d];
    const lowest = this.#ourLevel(d, reported, source, limit);
    // Our own accounting is right within what the reading hides, as far as others' draw is known.
    const step = roundingStep(d);
    const hidden = source && synced.hiddenByReading(source.atMs, nowMs, step);
    const band = source ? synced.band(source.atMs, nowMs, step, isTokenDimension(d), learner.othersDraw) : 0;
    const twin = hidden ? { lowest, band: hidden } : { lowest: lowest + likeliest, band: 0 };
    const sync = synced.sync(lowest, band, twin, nowMs);
    this.#learn(d, sync, nowMs);
  }

  /** Feeds one twin correction to the dimension's learner of others' draw. */
  #learn(d: Dimension, sync: SyncResult, nowMs: number): void {
    const bucket = this.#buckets[d].paced;
    const changed = this.#learners[d].noteCorrection({
      ...sync,
      nowMs,
      nominalPerMs: this.limit(d)! / 60_000,
      bucketPerMs: bucket.ratePerMs,
      windowMs: this.windowMs() ?? 60_000,
      capacity: bucket.capacity,
      quantum: roundingStep(d),
    });
    if (changed) this.#reshape(d, nowMs);
  }

  #reshape(d: Dimension, nowMs: number): void {
    const limit = this.limit(d);
    const bucket = this.#buckets[d];
    if (limit === undefined) {
      bucket.reshape(Number.POSITIVE_INFINITY, 0, nowMs);
      return;
    }
    const own = 1 - this.#settings.headroomShare;
    const learner = this.#learners[d];
    bucket.reshape(learner.capacity(limit) * own, learner.refillPerMinute(limit) * own, nowMs);
  }
}
