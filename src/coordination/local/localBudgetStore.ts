import {
  checkedCost,
  DIMENSIONS,
  checkedPool,
  type Clock,
  type CloseAnswer,
  type Cost,
  type Dimension,
  type LeaseAnswer,
  type SharedBudget,
  type SharedLimits,
  type SharedPoolId,
  type SharedReading,
  type SyncAnswer,
  TokenBucket,
} from '../../pacer/index';

/** Options of {@link LocalBudgetStore}. */
export interface LocalBudgetStoreOptions {
  /** Only `now()` is read: expiry is lazy, on the next call. */
  readonly clock: Pick<Clock, 'now'>;
  /** A lease not settled or refunded within this is dropped (its client is gone). @default 600000 */
  readonly leaseTtlMs?: number;
  /** A pool untouched this long is forgotten (never before its leases expire). @default 600000 */
  readonly idleMs?: number;
  /** Where each pool's lease numbers start, as a fraction of 2^40: a new store's ids never meet an old store's. @default 0 */
  readonly random?: () => number;
}

interface Lease {
  readonly cost: Cost;
  readonly expiresAtMs: number;
}

interface Pool {
  readonly buckets: Partial<Record<Dimension, TokenBucket>>;
  /** The same buckets by the store's own accounting of its leases alone: a reading never sets a level above these. */
  readonly own: Partial<Record<Dimension, TokenBucket>>;
  readonly leases: Map<number, Lease>;
  nextSeq: number;
  touchedAtMs: number;
  readAtMs: number;
  readSeq: number;
}

const DEFAULTS = { leaseTtlMs: 600_000, idleMs: 600_000 };
const LEASE_ID = /^[1-9]\d{0,15}$/;

/**
 * A shared budget kept in this process's memory: the same protocol as the Redis store's scripts
 * (admit-or-wait, settle, refund, newest reading wins with unseen leases subtracted, lease TTL,
 * idle pools forgotten), on an injected clock. The local coordinator serves it to the windows of
 * one machine; tests use it as the shared budget of several schedulers.
 */
export class LocalBudgetStore implements SharedBudget {
  readonly health = 'up' as const;
  readonly #clock: Pick<Clock, 'now'>;
  readonly #leaseTtlMs: number;
  readonly #idleMs: number;
  readonly #random: () => number;
  readonly #pools = new Map<string, Pool>();

  /** An empty store on `options.clock`. */
  constructor(options: LocalBudgetStoreOptions) {
    this.#clock = options.clock;
    this.#leaseTtlMs = positive(options.leaseTtlMs ?? DEFAULTS.leaseTtlMs, 'leaseTtlMs');
    // An idle pool must outlive its leases, or a new pool could hand out their ids again.
    this.#idleMs = Math.max(positive(options.idleMs ?? DEFAULTS.idleMs, 'idleMs'), this.#leaseTtlMs);
    this.#random = options.random ?? (() => 0);
  }

  /** How many pools the store holds now (idle ones forgotten). */
  get poolCount(): number {
    this.#expire(this.#clock.now());
    return this.#pools.size;
  }

  /** How many live leases `pool` holds now (expired ones dropped). */
  liveLeases(pool: SharedPoolId): number {
    this.#expire(this.#clock.now());
    return this.#pools.get(poolName(pool))?.leases.size ?? 0;
  }

  /** Admit-or-wait. */
  lease(pool: SharedPoolId, cost: Cost, limits: SharedLimits): Promise<LeaseAnswer> {
    const checked = checkedCost(cost);
    const now = this.#clock.now();
    const p = this.#pool(pool, limits, now);
    let waitMs = 0;
    for (const d of DIMENSIONS) {
      const bucket = p.buckets[d];
      // Above the burst, a request goes when the bucket is full (the level then goes negative).
      if (bucket) waitMs = Math.max(waitMs, bucket.waitMs(Math.min(bucket.capacity, checked[d]), now));
    }
    if (waitMs > 0) return Promise.resolve({ kind: 'wait', waitMs, atMs: now });
    for (const d of DIMENSIONS) {
      p.buckets[d]?.take(checked[d], now);
      p.own[d]?.take(checked[d], now);
    }
    const seq = p.nextSeq++;
    p.leases.set(seq, { cost: { ...checked }, expiresAtMs: now + this.#leaseTtlMs });
    return Promise.resolve({ kind: 'granted', leaseId: String(seq), atMs: now });
  }

  /** Closes a lease with its real usage: the difference goes back (capped at the burst) or is taken. */
  settle(pool: SharedPoolId, leaseId: string, actual: Cost): Promise<CloseAnswer> {
    return Promise.resolve(this.#close(pool, leaseId, checkedCost(actual)));
  }

  /** Closes a lease giving all of it back. */
  refund(pool: SharedPoolId, leaseId: string): Promise<CloseAnswer> {
    return Promise.resolve(this.#close(pool, leaseId, undefined));
  }

  /** Applies a header reading unless a newer one (by the server's time; on a tie, the later lease's) was applied. */
  syncHeaders(pool: SharedPoolId, reading: SharedReading): Promise<SyncAnswer> {
    if (!Number.isFinite(reading.readAtMs))
      throw new TypeError(`readAtMs must be finite, got ${reading.readAtMs}`);
    const now = this.#clock.now();
    const p = this.#pool(pool, {}, now);
    const source =
      reading.sourceLeaseId !== undefined && LEASE_ID.test(reading.sourceLeaseId)
        ? Number(reading.sourceLeaseId)
        : -1;
    if (reading.readAtMs < p.readAtMs || (reading.readAtMs === p.readAtMs && source < p.readSeq))
      return Promise.resolve({ kind: 'stale' });
    p.readAtMs = reading.readAtMs;
    p.readSeq = source;
    for (const d of DIMENSIONS) {
      const dim = reading.dimensions[d];
      const limit = countOrUndefined(dim?.limit);
      if (limit !== undefined && limit > 0) {
        for (const buckets of [p.buckets, p.own]) {
          const existing = buckets[d];
          if (existing) existing.reshape(limit, limit, now);
          else buckets[d] = new TokenBucket(limit, limit, now);
        }
      }
      const remaining = countOrUndefined(dim?.remaining);
      const bucket = p.buckets[d];
      const own = p.own[d];
      if (remaining === undefined || !bucket || !own) continue;
      let unseen = 0;
      for (const [seq, lease] of p.leases) if (seq > source) unseen += lease.cost[d];
      // Never above the store's own accounting (see SYNC_SCRIPT): a reading can predate settled leases.
      bucket.setLevel(Math.min(own.levelAt(now), remaining - unseen), now);
    }
    return Promise.resolve({ kind: 'applied' });
  }

  #close(pool: SharedPoolId, leaseId: string, actual: Cost | undefined): CloseAnswer {
    const now = this.#clock.now();
    const p = this.#pool(pool, {}, now);
    const seq = LEASE_ID.test(leaseId) ? Number(leaseId) : -1;
    const leased = p.leases.get(seq);
    if (!leased) return { kind: 'unknown' };
    p.leases.delete(seq);
    for (const d of DIMENSIONS) {
      const back = leased.cost[d] - (actual?.[d] ?? 0);
      for (const bucket of [p.buckets[d], p.own[d]]) {
        if (back > 0) bucket?.give(back, now);
        else bucket?.take(-back, now);
      }
    }
    return { kind: 'done' };
  }

  /** The pool, created with `limits` when missing, after expiring what is due; marks it touched. */
  #pool(pool: SharedPoolId, limits: SharedLimits, now: number): Pool {
    checkedPool(pool);
    this.#expire(now);
    const name = poolName(pool);
    let p = this.#pools.get(name);
    if (!p) {
      const buckets: Pool['buckets'] = {};
      const own: Pool['own'] = {};
      for (const d of DIMENSIONS) {
        const perMinute = countOrUndefined(limits[d]?.perMinute);
        if (perMinute === undefined || perMinute <= 0) continue;
        buckets[d] = new TokenBucket(perMinute, perMinute, now);
        own[d] = new TokenBucket(perMinute, perMinute, now);
      }
      const firstSeq = 1 + Math.floor(Math.min(Math.max(this.#random(), 0), 1) * 2 ** 40);
      p = {
        buckets,
        own,
        leases: new Map(),
        nextSeq: firstSeq,
        touchedAtMs: now,
        readAtMs: -Infinity,
        readSeq: -1,
      };
      this.#pools.set(name, p);
    }
    p.touchedAtMs = now;
    return p;
  }

  /** Leases past their expiry are dropped without refund: whether their request went out is unknown, and what they took comes back through refill, as at the server. */
  #expire(now: number): void {
    for (const [name, p] of this.#pools) {
      if (now - p.touchedAtMs >= this.#idleMs) {
        this.#pools.delete(name);
        continue;
      }
      for (const [seq, lease] of p.leases) if (lease.expiresAtMs <= now) p.leases.delete(seq);
    }
  }
}

function poolName(pool: SharedPoolId): string {
  return `${pool.organizationId}|${pool.modelClass}`;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function countOrUndefined(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}
