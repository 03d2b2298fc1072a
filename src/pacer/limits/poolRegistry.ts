import type { Clock } from '../clock';
import type { KeyPool } from '../keys/keyPool';
import { RatePool, type PoolSettings } from './ratePool';
import type { SchedulerOptions } from '../scheduling/schedulerOptions';

/**
 * The rate pools, one per (organization, model class), and which pool a key draws on for a model
 * class. Keys start in a provisional organization of their own; when a response names the real one,
 * their pools join it.
 */
export class PoolRegistry {
  readonly #keys: KeyPool;
  readonly #clock: Clock;
  readonly #options: () => SchedulerOptions;
  readonly #pools = new Map<string, RatePool>();
  /** keyId → model class → pool: the hot-path lookup, rebuilt when keys or organizations change. */
  #byKey = new Map<string, Map<string, RatePool>>();

  /** Pools for the keys of `keys`, configured from `options()`. */
  constructor(keys: KeyPool, clock: Clock, options: () => SchedulerOptions) {
    this.#keys = keys;
    this.#clock = clock;
    this.#options = options;
  }

  /** Every pool. */
  all(): RatePool[] {
    return [...this.#pools.values()];
  }

  /** Forgets cached key → pool links (keys changed). */
  invalidate(): void {
    this.#byKey = new Map();
  }

  /** The pool a key draws on for a model class, created on first use. */
  poolFor(keyId: string, modelClass: string): RatePool {
    let byClass = this.#byKey.get(keyId);
    const cached = byClass?.get(modelClass);
    if (cached) return cached;
    const org = this.#keys.organizationOf(keyId);
    const id = `${org}|${modelClass}`;
    let pool = this.#pools.get(id);
    if (!pool) {
      pool = new RatePool(org, modelClass, this.#settingsFor(modelClass), this.#clock.now());
      this.#pools.set(id, pool);
    }
    if (!byClass) this.#byKey.set(keyId, (byClass = new Map<string, RatePool>()));
    byClass.set(modelClass, pool);
    return pool;
  }

  /** The pool a key would draw on for a model class, if it exists: unlike {@link poolFor}, creates none. */
  find(keyId: string, modelClass: string): RatePool | undefined {
    return (
      this.#byKey.get(keyId)?.get(modelClass) ??
      this.#pools.get(`${this.#keys.organizationOf(keyId)}|${modelClass}`)
    );
  }

  /** Applies changed options to every pool (what headers taught them is kept). */
  configure(nowMs: number): void {
    for (const pool of this.#pools.values()) pool.configure(this.#settingsFor(pool.modelClass), nowMs);
  }

  /**
   * A response named the key's organization. Its provisional pools join the organization's budget:
   * renamed when the organization has no pool for that class yet, merged into it otherwise, with
   * in-flight reservations moved along (`retarget` repoints attempts) so settlement stays exact.
   * Returns false when nothing changed.
   */
  learnOrganization(
    keyId: string,
    organizationId: string,
    nowMs: number,
    retarget: (from: RatePool, to: RatePool) => void,
  ): boolean {
    const previous = this.#keys.organizationOf(keyId);
    if (!this.#keys.learnOrganization(keyId, organizationId)) return false;
    this.invalidate();
    const stillUsed = this.#keys
      .describe(nowMs)
      .some((k) => this.#keys.organizationOf(k.info.id) === previous);
    if (stillUsed) return true;
    for (const pool of [...this.#pools.values()]) {
      if (pool.organizationId !== previous) continue;
      this.#pools.delete(pool.id);
      const target = this.#pools.get(`${organizationId}|${pool.modelClass}`);
      if (!target) {
        pool.rebind(organizationId);
        this.#pools.set(pool.id, pool);
        continue;
      }
      target.adopt(pool, nowMs);
      retarget(pool, target);
    }
    return true;
  }

  /**
   * The longest window (time to refill from empty) among the pools of `modelClass`, or undefined
   * before any is known: the unit of aging.
   */
  windowMsOf(modelClass: string): number | undefined {
    let window: number | undefined;
    for (const pool of this.#pools.values()) {
      if (pool.modelClass !== modelClass) continue;
      const w = pool.windowMs();
      if (w !== undefined) window = Math.max(window ?? 0, w);
    }
    return window;
  }

  #settingsFor(modelClass: string): PoolSettings {
    const options = this.#options();
    return {
      limits: options.limits[modelClass] ?? options.limits['*'] ?? {},
      headroomShare: options.headroomShare,
      maxReserveShare: 1 - options.backgroundBudgetShare,
      probeFirst: options.probeFirst,
    };
  }
}
