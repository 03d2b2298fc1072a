// An in-memory SharedBudget on a manual clock, for the engine's unit tests: the same protocol as the
// Redis store (admit-or-wait, settle, refund, newest reading wins, unseen leases subtracted), with
// switches for a store that is down, never answers, or answers only when the test says so.
import { DIMENSIONS, type Dimension } from '../../src/pacer/limits/dimensions';
import type { Cost } from '../../src/pacer/limits/cost';
import { TokenBucket } from '../../src/pacer/limits/tokenBucket';
import type {
  CloseAnswer,
  LeaseAnswer,
  SharedBudget,
  SharedBudgetHealth,
  SharedLimits,
  SharedPoolId,
  SharedReading,
  SyncAnswer,
} from '../../src/pacer/sharing/sharedBudget';
import type { ManualClock } from './manualClock';

/** How the store answers leases: at once, `down`, never, or when the test resolves them. */
export type MemoryBudgetMode = 'answer' | 'down' | 'hang' | 'manual';

interface MemoryPool {
  readonly buckets: Partial<Record<Dimension, TokenBucket>>;
  readonly leases: Map<number, Cost>;
  readAtMs: number;
  readSeq: number;
}

/** A lease call the test answers itself (mode `manual`). */
export interface HeldLease {
  readonly pool: SharedPoolId;
  readonly cost: Cost;
  /** Runs the store's admit-or-wait now and answers the caller with it. */
  answer(): void;
}

/** The shared budget of several schedulers in one test, on their manual clock. */
export class MemorySharedBudget implements SharedBudget {
  mode: MemoryBudgetMode = 'answer';
  health: SharedBudgetHealth = 'up';
  /** Every grant, in order, with the clock time. */
  readonly grants: Array<{
    readonly leaseId: string;
    readonly atMs: number;
    readonly cost: Cost;
    readonly pool: SharedPoolId;
  }> = [];
  /** Every settle and refund, in order (`actual` undefined for a refund). */
  readonly closes: Array<{
    readonly leaseId: string;
    readonly actual?: Cost;
    readonly answer: CloseAnswer['kind'];
  }> = [];
  readonly readings: SharedReading[] = [];
  /** Lease calls waiting for the test (mode `manual`). */
  readonly held: HeldLease[] = [];
  readonly #clock: ManualClock;
  readonly #pools = new Map<string, MemoryPool>();
  #nextId = 1;

  /** A store on `clock`. */
  constructor(clock: ManualClock) {
    this.#clock = clock;
  }

  lease(pool: SharedPoolId, cost: Cost, limits: SharedLimits): Promise<LeaseAnswer> {
    if (this.mode === 'down') return Promise.resolve({ kind: 'down' });
    if (this.mode === 'hang') return new Promise<LeaseAnswer>(() => undefined);
    if (this.mode === 'manual')
      return new Promise<LeaseAnswer>((resolve) =>
        this.held.push({ pool, cost, answer: () => resolve(this.#admit(pool, cost, limits)) }),
      );
    return Promise.resolve(this.#admit(pool, cost, limits));
  }

  settle(pool: SharedPoolId, leaseId: string, actual: Cost): Promise<CloseAnswer> {
    return Promise.resolve(this.#close(pool, leaseId, { ...actual }));
  }

  refund(pool: SharedPoolId, leaseId: string): Promise<CloseAnswer> {
    return Promise.resolve(this.#close(pool, leaseId, undefined));
  }

  syncHeaders(pool: SharedPoolId, reading: SharedReading): Promise<SyncAnswer> {
    this.readings.push(reading);
    const p = this.#pool(pool, {});
    const seq = reading.sourceLeaseId === undefined ? -1 : Number(reading.sourceLeaseId);
    if (reading.readAtMs < p.readAtMs || (reading.readAtMs === p.readAtMs && seq < p.readSeq))
      return Promise.resolve({ kind: 'stale' });
    p.readAtMs = reading.readAtMs;
    p.readSeq = seq;
    const now = this.#clock.now();
    for (const d of DIMENSIONS) {
      const dim = reading.dimensions[d];
      if (dim?.limit !== undefined) {
        const bucket = (p.buckets[d] ??= new TokenBucket(dim.limit, dim.limit, now));
        bucket.reshape(dim.limit, dim.limit, now);
      }
      if (dim?.remaining === undefined || !p.buckets[d]) continue;
      let unseen = 0;
      for (const [id, cost] of p.leases) if (id > seq) unseen += cost[d];
      p.buckets[d].setLevel(dim.remaining - unseen, now);
    }
    return Promise.resolve({ kind: 'applied' });
  }

  #admit(pool: SharedPoolId, cost: Cost, limits: SharedLimits): LeaseAnswer {
    const now = this.#clock.now();
    const p = this.#pool(pool, limits);
    let waitMs = 0;
    for (const d of DIMENSIONS) {
      const bucket = p.buckets[d];
      if (bucket) waitMs = Math.max(waitMs, bucket.waitMs(Math.min(bucket.capacity, cost[d]), now));
    }
    if (waitMs > 0) return { kind: 'wait', waitMs, atMs: now };
    for (const d of DIMENSIONS) p.buckets[d]?.take(cost[d], now);
    const id = this.#nextId++;
    p.leases.set(id, { ...cost });
    this.grants.push({ leaseId: String(id), atMs: now, cost: { ...cost }, pool: { ...pool } });
    return { kind: 'granted', leaseId: String(id), atMs: now };
  }

  #close(pool: SharedPoolId, leaseId: string, actual: Cost | undefined): CloseAnswer {
    const p = this.#pool(pool, {});
    const leased = p.leases.get(Number(leaseId));
    const answer: CloseAnswer = leased ? { kind: 'done' } : { kind: 'unknown' };
    this.closes.push({ leaseId, ...(actual ? { actual } : {}), answer: answer.kind });
    if (!leased) return answer;
    p.leases.delete(Number(leaseId));
    const now = this.#clock.now();
    for (const d of DIMENSIONS) {
      const back = leased[d] - (actual?.[d] ?? 0);
      if (back > 0) p.buckets[d]?.give(back, now);
      else p.buckets[d]?.take(-back, now);
    }
    return answer;
  }

  #pool(pool: SharedPoolId, limits: SharedLimits): MemoryPool {
    const name = `${pool.organizationId}|${pool.modelClass}`;
    let p = this.#pools.get(name);
    if (!p) {
      const buckets: MemoryPool['buckets'] = {};
      const now = this.#clock.now();
      for (const d of DIMENSIONS) {
        const perMinute = limits[d]?.perMinute;
        if (perMinute !== undefined) buckets[d] = new TokenBucket(perMinute, perMinute, now);
      }
      p = { buckets, leases: new Map(), readAtMs: Number.NEGATIVE_INFINITY, readSeq: -1 };
      this.#pools.set(name, p);
    }
    return p;
  }
}
