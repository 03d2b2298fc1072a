import type { Cost } from '../limits/cost';
import { DIMENSIONS, type Dimension } from '../limits/dimensions';
import { isKnownOrganization } from '../keys/keyPool';

/** A shared pool's name: organization and model class only, never anything derived from a key. */
export interface SharedPoolId {
  readonly organizationId: string;
  readonly modelClass: string;
}

/** A bucket's shape: burst and refill per minute (the store's buckets hold a minute's limit, like the server's). */
export interface SharedLimit {
  readonly perMinute: number;
}

/** Per-minute limits per dimension; a dimension left out is not paced by the store. */
export type SharedLimits = Readonly<Partial<Record<Dimension, SharedLimit>>>;

/** The store's answer to a lease: sent now, wait, or the store cannot answer (pace locally). */
export type LeaseAnswer =
  | { readonly kind: 'granted'; readonly leaseId: string; readonly atMs: number }
  | { readonly kind: 'wait'; readonly waitMs: number; readonly atMs: number }
  | { readonly kind: 'down' };

/** The store's answer to a settle or refund: `unknown` when the lease expired or was already closed. */
export type CloseAnswer =
  { readonly kind: 'done' } | { readonly kind: 'unknown' } | { readonly kind: 'down' };

/** The store's answer to a header reading: `stale` when a newer reading was applied already. */
export type SyncAnswer =
  { readonly kind: 'applied' } | { readonly kind: 'stale' } | { readonly kind: 'down' };

/** One dimension of a header reading. */
export interface SharedDimensionReading {
  readonly limit?: number;
  readonly remaining?: number;
}

/** What one response's rate-limit headers said, as of the server's time `readAtMs`. */
export interface SharedReading {
  /** The server's time of the reading (its `date`), compared only with other readings, never with a client's clock. */
  readonly readAtMs: number;
  /** The lease of the request this response answered: leases granted after it are not counted in `remaining` yet. */
  readonly sourceLeaseId?: string;
  readonly dimensions: Readonly<Partial<Record<Dimension, SharedDimensionReading>>>;
}

/** Whether the store answers: `up`, or `down` (clients pace locally until it is back). */
export type SharedBudgetHealth = 'up' | 'down';

/**
 * The engine's port to a budget shared with other clients (other windows, teammates): lease a cost
 * before sending, settle with the real usage, refund what was never consumed, forward header
 * readings. A store that cannot answer says `down` (never a rejection); a pool that is not
 * {@link isShareablePool} is a programming error (TypeError).
 */
export interface SharedBudget {
  /** Admit-or-wait: takes `cost` from the pool now, or says in how many ms it would fit. `limits` only create a missing pool. */
  lease(pool: SharedPoolId, cost: Cost, limits: SharedLimits): Promise<LeaseAnswer>;
  /** The leased request ended having used `actual`: the difference goes back to (or is taken from) the buckets. */
  settle(pool: SharedPoolId, leaseId: string, actual: Cost): Promise<CloseAnswer>;
  /** Nothing of the lease was consumed (cancelled before sending, refused): all of it goes back. */
  refund(pool: SharedPoolId, leaseId: string): Promise<CloseAnswer>;
  /** Applies a response's header reading unless a newer one was applied already. */
  syncHeaders(pool: SharedPoolId, reading: SharedReading): Promise<SyncAnswer>;
  /** Whether the store answers now. */
  readonly health: SharedBudgetHealth;
}

/** An organization id as the server sends it (the header parser accepts the same). */
const ORGANIZATION_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** A model class a store key can hold as is (no braces, spaces or separators of its own). */
const MODEL_CLASS = /^[a-z0-9._-]{1,100}$/;

/**
 * True when a pool may be shared: its organization is known (a provisional one is named after a
 * key, so it never leaves this window) and both names are plain enough to name a store key.
 */
export function isShareablePool(pool: SharedPoolId): boolean {
  return (
    isKnownOrganization(pool.organizationId) &&
    ORGANIZATION_ID.test(pool.organizationId) &&
    MODEL_CLASS.test(pool.modelClass)
  );
}

/** The pool when {@link isShareablePool}, or a TypeError quoting only the start of its names. */
export function checkedPool(pool: SharedPoolId): SharedPoolId {
  if (!isShareablePool(pool))
    throw new TypeError(
      `not a shareable pool (organization "${pool.organizationId.slice(0, 12)}…", class "${pool.modelClass.slice(0, 40)}")`,
    );
  return pool;
}

/** A cost with every dimension a finite number ≥ 0, or a TypeError naming the bad one. */
export function checkedCost(cost: Cost): Cost {
  for (const d of DIMENSIONS)
    if (!Number.isFinite(cost[d]) || cost[d] < 0)
      throw new TypeError(`cost.${d} must be a finite number ≥ 0, got ${String(cost[d])}`);
  return cost;
}
