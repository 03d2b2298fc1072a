import type { Cost } from './cost';
import { DIMENSIONS, type Dimension, type RateLimitReport } from './rateLimitHeaders';
import { TokenBucket } from './tokenBucket';

/** Per-minute limits; undefined = not known yet (learned from headers). */
export type Limits = Readonly<Partial<Record<Dimension, number>>>;

/** One request's draw on a pool, kept until the server has certainly seen it. */
export interface Reservation {
  readonly seq: number;
  readonly atMs: number;
  readonly cost: Cost;
  isDone: boolean;
  /** True once a later response's headers already include this request's real input count. */
  isInputSeenByServer: boolean;
  /** True once this request's own response headers were synced (the server has certainly counted it). */
  isHeard: boolean;
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
const TOKEN_ROUNDING_SLACK = 500;
/** Burst capacity never shrinks below this share of the limit (one second of refill). */
const MIN_BURST_SHARE = 1 / 60;
/** Shrunken burst capacity grows back by this share of the limit per minute without a surprise 429. */
const BURST_RECOVERY_SHARE_PER_MINUTE = 0.1;
/** A reset-derived capacity below this share of the limit reveals short-window enforcement. */
const SHORT_WINDOW_EVIDENCE_SHARE = 0.8;
/** Reservations kept at most this long without a header to settle them. */
const RESERVATION_MAX_AGE_MS = 120_000;

/** Dimension names as the user reads them. */
export const DIMENSION_WORDS: Readonly<Record<Dimension, string>> = {
  requests: 'requests per minute',
  inputTokens: 'input tokens per minute',
  outputTokens: 'output tokens per minute',
};

let nextSeq = 1;

/** Whether the server had certainly counted `r` when it answered the request numbered `sourceSeq`. */
function isSeenBy(r: Reservation, sourceSeq: number): boolean {
  return r.seq < sourceSeq && (r.isHeard || r.isDone);
}

/** Time over which the external-use estimate averages (an exponential moving average weight). */
const EXTERNAL_USE_HORIZON_MS = 20_000;
/** We always keep at least this share of the refill, however much others seem to use. */
const MIN_OWN_REFILL_SHARE = 0.1;

/**
 * The budget of one (organization, model class): three continuous buckets that start from the
 * configured limits and are re-synced from every response's headers (the server wins).
 */
export class RatePool {
  #organizationId: string;
  readonly modelClass: string;
  #configured: Limits;
  #learned: Partial<Record<Dimension, number>> = {};
  #resetAt: Partial<Record<Dimension, number>> = {};
  #burstCap: Partial<Record<Dimension, number>> = {};
  #burstShrunkAtMs: Partial<Record<Dimension, number>> = {};
  #buckets: Record<Dimension, TokenBucket>;
  #headroomShare: number;
  #reservations: Reservation[] = [];
  #coolingUntilMs = 0;
  #coolingReason = '';
  #hasHeard = false;
  #lastSyncSeq = 0;
  /** Per dimension: what clients we cannot see draw from the shared budget, per ms, and when we last synced. */
  #externalPerMs: Partial<Record<Dimension, number>> = {};
  #lastSyncAtMs: Partial<Record<Dimension, number>> = {};
  #inFlight = 0;
  #concurrencyCap = Number.POSITIVE_INFINITY;
  #rampSlowedAfterSeq = 0;

  /** A pool with `configured` limits (may be empty) keeping `headroomShare` (0–0.9) for other clients. */
  constructor(
    organizationId: string,
    modelClass: string,
    configured: Limits,
    headroomShare: number,
    nowMs: number,
  ) {
    this.#organizationId = organizationId;
    this.modelClass = modelClass;
    this.#configured = configured;
    this.#headroomShare = headroomShare;
    this.#buckets = {
      requests: new TokenBucket(0, 0, nowMs),
      inputTokens: new TokenBucket(0, 0, nowMs),
      outputTokens: new TokenBucket(0, 0, nowMs),
    };
    for (const d of DIMENSIONS) this.#reshape(d, nowMs, true);
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

  /**
   * Takes over the unsettled reservations of a provisional pool whose key turned out to belong to
   * this organization. Those sent after our last header sync are not in our level yet: take them.
   */
  adopt(other: RatePool, nowMs: number): Reservation[] {
    const moved = other.#reservations.filter((r) => !r.isDone);
    for (const r of moved) {
      if (r.seq > this.#lastSyncSeq) for (const d of DIMENSIONS) this.#buckets[d].take(r.cost[d], nowMs);
    }
    this.#reservations = [...this.#reservations, ...moved].sort((a, b) => a.seq - b.seq);
    this.#inFlight += moved.length;
    other.#reservations = [];
    other.#inFlight = 0;
    return moved;
  }

  /** The limit in force for a dimension: the server's if known, else the configured one. */
  limit(dimension: Dimension): number | undefined {
    return this.#learned[dimension] ?? this.#configured[dimension];
  }

  /** True once any limit is known (configured or learned). */
  get hasLimits(): boolean {
    return DIMENSIONS.some((d) => this.limit(d) !== undefined);
  }

  /** Requests of this pool now in flight. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Updates configured limits and headroom (settings changed). */
  configure(configured: Limits, headroomShare: number, nowMs: number): void {
    this.#configured = configured;
    this.#headroomShare = headroomShare;
    for (const d of DIMENSIONS) this.#reshape(d, nowMs, false);
  }

  /** The dimension whose limit `cost` exceeds outright (it can never be sent), with the numbers. */
  neverFits(
    cost: Cost,
    isOutputReserved: boolean,
  ): { dimension: Dimension; needed: number; limit: number } | undefined {
    for (const d of DIMENSIONS) {
      if (d === 'outputTokens' && !isOutputReserved) continue;
      const limit = this.limit(d);
      if (limit !== undefined && cost[d] > limit) return { dimension: d, needed: cost[d], limit };
    }
    return undefined;
  }

  /**
   * Ms until `cost` may start (0 = now; Infinity = only an event can unblock it, e.g. a probe
   * completing). `reserveShare` keeps that share of each bucket untouched (background budget).
   */
  waitMs(cost: Cost, reserveShare: number, nowMs: number, debit?: Cost): number {
    let wait = Math.max(0, this.#coolingUntilMs - nowMs);
    if (!this.#hasHeard && !this.hasLimits && this.#inFlight > 0) return Number.POSITIVE_INFINITY;
    if (this.#inFlight + (debit ? 1 : 0) >= Math.floor(this.#concurrencyCap)) return Number.POSITIVE_INFINITY;
    this.#recoverBursts(nowMs);
    for (const d of DIMENSIONS) {
      const bucket = this.#buckets[d];
      if (!Number.isFinite(bucket.capacity)) continue;
      const needed = Math.min(bucket.capacity, cost[d] + reserveShare * bucket.capacity);
      const w = debit ? bucket.waitAfterDebitMs(needed, debit[d], nowMs) : bucket.waitMs(needed, nowMs);
      wait = Math.max(wait, w);
    }
    return wait;
  }

  /**
   * Ms until this pool will have supplied `cumulative` (the costs of everything queued ahead and
   * including one request): the basis of queue-position estimates.
   */
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
  explainWait(cost: Cost, reserveShare: number, nowMs: number): string {
    if (this.#coolingUntilMs > nowMs) return this.#coolingReason || 'cool-down';
    if (this.#inFlight >= Math.floor(this.#concurrencyCap))
      return 'slower ramp-up after an acceleration limit';
    if (!this.#hasHeard && !this.hasLimits && this.#inFlight > 0)
      return 'first response (learning the limits)';
    let worst: Dimension | undefined;
    let worstWait = 0;
    for (const d of DIMENSIONS) {
      const bucket = this.#buckets[d];
      if (!Number.isFinite(bucket.capacity)) continue;
      const w = bucket.waitMs(Math.min(bucket.capacity, cost[d] + reserveShare * bucket.capacity), nowMs);
      if (w > worstWait) {
        worstWait = w;
        worst = d;
      }
    }
    if (worst === undefined) {
      // A believed burst smaller than one request: name the dimension that is short of the cost.
      for (const d of DIMENSIONS) if (cost[d] > this.#buckets[d].levelAt(nowMs)) return DIMENSION_WORDS[d];
    }
    return worst === undefined ? 'a free slot' : DIMENSION_WORDS[worst];
  }

  /** Takes `cost` from the buckets as the request is sent; returns its reservation. */
  reserve(cost: Cost, nowMs: number): Reservation {
    for (const d of DIMENSIONS) this.#buckets[d].take(cost[d], nowMs);
    const reservation: Reservation = {
      seq: nextSeq++,
      atMs: nowMs,
      cost: { ...cost },
      isDone: false,
      isInputSeenByServer: false,
      isHeard: false,
    };
    this.#reservations.push(reservation);
    this.#inFlight++;
    if (this.#reservations.length > 64) this.#prune(nowMs);
    return reservation;
  }

  /** The server refused the request (429 etc.): nothing was consumed, give everything back. */
  refund(reservation: Reservation, nowMs: number): void {
    if (!this.#forget(reservation)) return;
    for (const d of DIMENSIONS) this.#buckets[d].give(reservation.cost[d], nowMs);
  }

  /**
   * The request ended having really used `actual` (input as counted toward the limit, output
   * generated). Differences from the reservation go back to (or come out of) the buckets.
   */
  settle(reservation: Reservation, actual: Pick<Cost, 'inputTokens' | 'outputTokens'>, nowMs: number): void {
    if (reservation.isDone) return;
    reservation.isDone = true;
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (!reservation.isInputSeenByServer) {
      this.#buckets.inputTokens.give(reservation.cost.inputTokens - actual.inputTokens, nowMs);
    }
    this.#buckets.outputTokens.give(reservation.cost.outputTokens - actual.outputTokens, nowMs);
    reservation.cost.inputTokens = actual.inputTokens;
    reservation.cost.outputTokens = actual.outputTokens;
  }

  /**
   * Re-syncs from a response's headers. The server computed them when it admitted `source`, so
   * requests we sent after it are not in `remaining` yet, and output still being generated
   * (real-time OTPM) is not either: both are subtracted to get our true level.
   */
  sync(report: RateLimitReport, source: Reservation | undefined, nowMs: number): void {
    if (!report.hasRateLimitHeaders) return;
    this.#hasHeard = true;
    const sourceSeq = source?.seq ?? Number.POSITIVE_INFINITY;
    for (const d of DIMENSIONS) {
      const dim = report.dimensions[d];
      if (dim === undefined) continue;
      if (dim.limit !== undefined && dim.limit !== this.#learned[d]) {
        this.#learned[d] = dim.limit;
        this.#reshape(d, nowMs, false);
      }
      if (dim.resetAtMs !== undefined) this.#resetAt[d] = dim.resetAtMs;
      if (dim.remaining === undefined) continue;
      const limit = this.limit(d);
      this.#learnBurst(d, dim.remaining, dim.resetAtMs, limit, nowMs);
      // What `remaining` cannot include yet: requests sent after the source, and earlier ones still
      // in flight whose own headers have not arrived (over several connections a later request can
      // reach the server first). Output still being generated is never in it (real-time OTPM).
      let unseen = 0;
      for (const r of this.#reservations) {
        if (r === source) {
          if (d === 'outputTokens' && !r.isDone) unseen += r.cost[d];
        } else if (!isSeenBy(r, sourceSeq)) unseen += r.cost[d];
        else if (d === 'outputTokens' && !r.isDone) unseen += r.cost[d];
      }
      const slack = d !== 'requests' && dim.remaining % 1000 === 0 ? TOKEN_ROUNDING_SLACK : 0;
      const headroom = limit === undefined ? 0 : this.#headroomShare * limit;
      const serverLevel = dim.remaining - unseen - slack - headroom;
      this.#learnExternalUse(d, serverLevel, nowMs);
      this.#learnNetRefill(d, dim.remaining, dim.resetAtMs, nowMs);
      this.#buckets[d].setLevel(serverLevel, nowMs);
    }
    if (source !== undefined) {
      this.#lastSyncSeq = Math.max(this.#lastSyncSeq, source.seq);
      source.isHeard = true;
      for (const r of this.#reservations)
        if (r === source || isSeenBy(r, sourceSeq)) r.isInputSeenByServer = true;
      this.#reservations = this.#reservations.filter((r) => !(r.isDone && r.seq <= sourceSeq));
    }
  }

  /**
   * A 429 arrived although our buckets admitted the request. If the headers still show room for
   * it, the server enforces the limit over a shorter window than a minute: shrink the burst we
   * believe in, so bursts stop drawing 429s; it grows back slowly.
   */
  noteSurprise429(dimension: Dimension, report: RateLimitReport, cost: Cost, nowMs: number): void {
    const limit = this.limit(dimension);
    if (limit === undefined) return;
    const remaining = report.dimensions[dimension]?.remaining;
    if (remaining !== undefined && remaining < cost[dimension]) return; // budget was really gone (other clients); sync handles it
    const current = this.#burstCap[dimension] ?? limit;
    this.#burstCap[dimension] = Math.max(limit * MIN_BURST_SHARE, cost[dimension], current / 2);
    this.#burstShrunkAtMs[dimension] = nowMs;
    this.#reshape(dimension, nowMs, false);
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
    this.#concurrencyCap = Math.max(1, Math.floor(Math.min(this.#concurrencyCap, this.#inFlight + 1) / 2));
    this.#rampSlowedAfterSeq = nextSeq;
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

  /** The pool's state for display. */
  state(nowMs: number): PoolState {
    if (this.#coolingUntilMs > nowMs)
      return { kind: 'cooling', untilMs: this.#coolingUntilMs, reason: this.#coolingReason };
    if (!this.#hasHeard && !this.hasLimits) return { kind: 'probing' };
    return { kind: 'ok' };
  }

  /** One dimension's numbers for display: limit, what we believe remains, reset time. */
  view(dimension: Dimension, nowMs: number): PoolDimensionView {
    this.#recoverBursts(nowMs);
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
    this.#recoverBursts(nowMs);
    let tightest: number | undefined;
    for (const d of DIMENSIONS) {
      const bucket = this.#buckets[d];
      if (!Number.isFinite(bucket.capacity) || bucket.capacity <= 0) continue;
      const share = Math.max(0, Math.min(1, bucket.levelAt(nowMs) / bucket.capacity));
      tightest = tightest === undefined ? share : Math.min(tightest, share);
    }
    return tightest;
  }

  /** Capacity in force for a dimension (after headroom and learned burst). */
  capacity(dimension: Dimension): number {
    return this.#buckets[dimension].capacity;
  }

  #reshape(d: Dimension, nowMs: number, isInitial: boolean): void {
    const limit = this.limit(d);
    const bucket = this.#buckets[d];
    if (limit === undefined) {
      bucket.reshape(Number.POSITIVE_INFINITY, 0, nowMs);
      return;
    }
    const usable = limit * (1 - this.#headroomShare);
    const capacity = Math.min(usable, this.#burstCap[d] ?? usable);
    const wasUnknown = !Number.isFinite(bucket.capacity);
    const external = (this.#externalPerMs[d] ?? 0) * 60_000;
    bucket.reshape(capacity, Math.max(usable * MIN_OWN_REFILL_SHARE, usable - external), nowMs);
    if (isInitial || wasUnknown) bucket.setLevel(capacity, nowMs);
  }

  /**
   * Other clients of the organization (other tools, teammates) draw on the same budget unseen. The
   * gap between the level we expected and the one the server reports, over the time since the last
   * sync, measures their rate; our refill is reduced by it (moving average, never below 10 %).
   */
  #learnExternalUse(d: Dimension, serverLevel: number, nowMs: number): void {
    const last = this.#lastSyncAtMs[d];
    this.#lastSyncAtMs[d] = nowMs;
    const bucket = this.#buckets[d];
    if (last === undefined || nowMs <= last || !Number.isFinite(bucket.capacity)) return;
    const elapsed = nowMs - last;
    const sample = (bucket.levelAt(nowMs) - serverLevel) / elapsed;
    const previous = this.#externalPerMs[d] ?? 0;
    const weight = Math.min(1, elapsed / EXTERNAL_USE_HORIZON_MS);
    const maxPerMs = ((this.limit(d) ?? 0) / 60_000) * (1 - MIN_OWN_REFILL_SHARE);
    const next = Math.min(maxPerMs, Math.max(0, previous + weight * (sample - previous)));
    if (Math.abs(next - previous) < 1e-9) return;
    this.#externalPerMs[d] = next;
    this.#reshape(d, nowMs, false);
  }

  /**
   * A server whose `-reset` already accounts for other clients' draw (it says "full in 120 s" for a
   * bucket our nominal refill would fill in 60 s) tells us the net refill outright: use it at once
   * instead of waiting for the moving average. Resets closer than 5 s are too coarse (whole seconds).
   */
  #learnNetRefill(d: Dimension, remaining: number, resetAtMs: number | undefined, nowMs: number): void {
    const limit = this.limit(d);
    const bucket = this.#buckets[d];
    if (
      limit === undefined ||
      resetAtMs === undefined ||
      resetAtMs - nowMs < 5000 ||
      !Number.isFinite(bucket.capacity)
    )
      return;
    const capacity = Math.min(limit, this.#burstCap[d] ?? limit);
    const missing = capacity - remaining;
    if (missing < Math.max(1, 0.05 * capacity)) return;
    const nominalPerMs = limit / 60_000;
    const impliedPerMs = missing / (resetAtMs - nowMs);
    if (impliedPerMs >= 0.9 * nominalPerMs) return;
    const external = Math.min(nominalPerMs * (1 - MIN_OWN_REFILL_SHARE), nominalPerMs - impliedPerMs);
    if (external <= (this.#externalPerMs[d] ?? 0)) return;
    this.#externalPerMs[d] = external;
    this.#reshape(d, nowMs, false);
  }

  #learnBurst(
    d: Dimension,
    remaining: number,
    resetAtMs: number | undefined,
    limit: number | undefined,
    nowMs: number,
  ): void {
    if (limit === undefined || resetAtMs === undefined) return;
    // "-reset" is when the bucket is full again: what remains plus what refills until then is
    // the capacity the server really keeps, which is below the limit when it enforces short windows.
    const implied = remaining + (limit / 60_000) * Math.max(0, resetAtMs - nowMs);
    if (implied < SHORT_WINDOW_EVIDENCE_SHARE * limit && implied >= limit * MIN_BURST_SHARE) {
      const current = this.#burstCap[d];
      if (current === undefined || implied < current) {
        this.#burstCap[d] = implied;
        this.#burstShrunkAtMs[d] = nowMs;
        this.#reshape(d, nowMs, false);
      }
    }
  }

  #recoverBursts(nowMs: number): void {
    if (
      this.#burstCap.requests === undefined &&
      this.#burstCap.inputTokens === undefined &&
      this.#burstCap.outputTokens === undefined
    )
      return;
    for (const d of DIMENSIONS) {
      const cap = this.#burstCap[d];
      const since = this.#burstShrunkAtMs[d];
      const limit = this.limit(d);
      if (cap === undefined || since === undefined || limit === undefined) continue;
      const grown = cap + limit * BURST_RECOVERY_SHARE_PER_MINUTE * ((nowMs - since) / 60_000);
      if (grown >= limit) {
        delete this.#burstCap[d];
        delete this.#burstShrunkAtMs[d];
      } else if (grown > cap + 1) {
        this.#burstCap[d] = grown;
        this.#burstShrunkAtMs[d] = nowMs;
      } else continue;
      this.#reshape(d, nowMs, false);
    }
  }

  #forget(reservation: Reservation): boolean {
    const index = this.#reservations.indexOf(reservation);
    if (index < 0 || reservation.isDone) return false;
    reservation.isDone = true;
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#reservations.splice(index, 1);
    return true;
  }

  #prune(nowMs: number): void {
    // Reservations are appended in sequence order, so settled old ones gather at the front:
    // dropping them there keeps reserve() O(1) amortised.
    let drop = 0;
    while (drop < this.#reservations.length) {
      const r = this.#reservations[drop]!;
      if (!r.isDone || (nowMs - r.atMs < RESERVATION_MAX_AGE_MS && r.seq > this.#lastSyncSeq)) break;
      drop++;
    }
    if (drop > 0) this.#reservations.splice(0, drop);
  }
}
