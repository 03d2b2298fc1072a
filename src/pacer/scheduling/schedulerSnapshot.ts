import type { DispatchPlanner } from './dispatchPlanner';
import type { FifoLane } from './fifoLane';
import { modelClassOf } from '../limits/modelClass';
import type { KeyPool } from '../keys/keyPool';
import type { Cost } from '../limits/cost';
import { DIMENSIONS, type Dimension } from '../limits/dimensions';
import type { PoolDimensionView, RatePool } from '../limits/ratePool';
import type { CooledLimit } from '../limits/waitCause';
import type { RequestEntry } from './requestEntry';
import { LANES, type Lane, type RequestProgress } from './schedulerTypes';

/** A pool as the UI shows it. */
export interface PoolSnapshot {
  readonly id: string;
  readonly organizationId: string;
  readonly modelClass: string;
  /** ok; probing (limits not known yet); throttled (requests wait for refill); cooling (after a 429). */
  readonly state: 'ok' | 'probing' | 'throttled' | 'cooling';
  readonly coolingUntilMs?: number;
  /** While cooling: the limit whose 429 started the cool-down. */
  readonly cooledLimit?: CooledLimit;
  readonly dimensions: Readonly<Record<Dimension, PoolDimensionView>>;
  /** Share (0–1) left of the tightest dimension, when limits are known. */
  readonly headroom?: number;
  readonly queued: number;
  readonly inFlight: number;
}

/** A key as the UI shows it (never the secret). */
export interface KeySnapshot {
  readonly id: string;
  readonly label: string;
  readonly last4: string;
  readonly organizationId?: string;
  readonly state: 'ok' | 'cooling' | 'rejected' | 'spend_limit' | 'billing' | 'daily_budget';
  readonly untilMs?: number;
  readonly reason?: string;
}

/** The pool the next request of a model would draw on: the scheduler's own choice, made without sending. */
export interface NextPoolSnapshot {
  readonly model: string;
  readonly modelClass: string;
  readonly keyId: string;
  readonly keyLabel: string;
  /** Its pool's id in `pools`; absent while the key has no pool for this class yet (nothing sent). */
  readonly poolId?: string;
  /** Ms a one-request cost would wait there now (Infinity: only an answer can unblock it). */
  readonly waitMs: number;
}

/** The scheduler's whole state for display. */
export interface SchedulerSnapshot {
  readonly atMs: number;
  readonly pools: readonly PoolSnapshot[];
  readonly keys: readonly KeySnapshot[];
  readonly queued: Readonly<Record<Lane, number>>;
  readonly inFlight: number;
  /** Earliest end of a cool-down or retry wait that holds queued work, if any. */
  readonly nextRetryAtMs?: number;
  /** When queued work waiting for refill can next start, if any is waiting. */
  readonly nextStartAtMs?: number;
  /** Where the next request of the model asked about would go (snapshot(model) only; none without a usable key). */
  readonly next?: NextPoolSnapshot;
  /** Progress of the first queued request in dispatch order: the same estimate its own wait banner reads. */
  readonly head?: RequestProgress;
}

/** What buildSnapshot reads from the scheduler. */
export interface SnapshotSource {
  readonly nowMs: number;
  readonly pools: readonly RatePool[];
  readonly keys: KeyPool;
  readonly lanes: ReadonlyArray<FifoLane<RequestEntry>>;
  readonly inFlight: number;
  readonly queued: readonly RequestEntry[];
  readonly reserveOf: (entry: RequestEntry) => Cost;
  readonly poolOf: (entry: RequestEntry) => RatePool | undefined;
  /** The scheduler's next wake-up, when one is pending. */
  readonly nextWakeAtMs?: number;
  readonly next?: NextPoolSnapshot;
  readonly head?: RequestProgress;
}

/** Where the next request of `model` would go (undefined without a usable key). */
export function nextPoolSnapshot(
  planner: DispatchPlanner,
  model: string,
  nowMs: number,
): NextPoolSnapshot | undefined {
  const modelClass = modelClassOf(model);
  const next = planner.nextPool(modelClass, nowMs);
  if (!next) return undefined;
  return {
    model,
    modelClass,
    keyId: next.key.id,
    keyLabel: next.key.label,
    ...(next.pool ? { poolId: next.pool.id } : {}),
    waitMs: next.waitMs,
  };
}

/** Builds the snapshot; only pools of the current keys' organizations are listed. */
export function buildSnapshot(source: SnapshotSource): SchedulerSnapshot {
  const { nowMs } = source;
  const keys = source.keys.describe(nowMs);
  const orgs = new Set(keys.map((k) => source.keys.organizationOf(k.info.id)));
  const queuedByPool = new Map<RatePool, number>();
  const throttled = new Set<RatePool>();
  let nextRetryAtMs: number | undefined;
  for (const entry of source.queued) {
    const pool = source.poolOf(entry);
    if (pool) {
      queuedByPool.set(pool, (queuedByPool.get(pool) ?? 0) + 1);
      if (pool.waitMs(entry.cost, source.reserveOf(entry), nowMs) > 0) throttled.add(pool);
      const cooling = pool.throttle.coolingUntilMs(nowMs);
      if (cooling > 0) nextRetryAtMs = Math.min(nextRetryAtMs ?? cooling, cooling);
    }
    if (entry.notBeforeMs > nowMs)
      nextRetryAtMs = Math.min(nextRetryAtMs ?? entry.notBeforeMs, entry.notBeforeMs);
  }
  const pools = source.pools
    .filter((p) => orgs.has(p.organizationId))
    .map((pool): PoolSnapshot => {
      const state = pool.state(nowMs);
      const headroom = pool.headroom(nowMs);
      const dimensions = Object.fromEntries(DIMENSIONS.map((d) => [d, pool.view(d, nowMs)])) as Record<
        Dimension,
        PoolDimensionView
      >;
      return {
        id: pool.id,
        organizationId: pool.organizationId,
        modelClass: pool.modelClass,
        state:
          state.kind === 'cooling'
            ? 'cooling'
            : state.kind === 'probing'
              ? 'probing'
              : throttled.has(pool)
                ? 'throttled'
                : 'ok',
        ...(state.kind === 'cooling'
          ? { coolingUntilMs: state.untilMs, cooledLimit: state.cooledLimit }
          : {}),
        dimensions,
        ...(headroom !== undefined ? { headroom } : {}),
        queued: queuedByPool.get(pool) ?? 0,
        inFlight: pool.inFlight,
      };
    });
  const keySnapshots = keys.map(({ info, organizationId, block }): KeySnapshot => {
    const base = {
      id: info.id,
      label: info.label,
      last4: info.last4,
      ...(organizationId ? { organizationId } : {}),
    };
    if (block)
      return {
        ...base,
        state: block.kind,
        reason: block.reason,
        ...((block.kind === 'spend_limit' || block.kind === 'daily_budget') && block.untilMs
          ? { untilMs: block.untilMs }
          : {}),
      };
    const org = source.keys.organizationOf(info.id);
    const cooling = Math.max(
      0,
      ...source.pools.filter((p) => p.organizationId === org).map((p) => p.throttle.coolingUntilMs(nowMs)),
    );
    return cooling > 0 ? { ...base, state: 'cooling', untilMs: cooling } : { ...base, state: 'ok' };
  });
  const queued = Object.fromEntries(LANES.map((lane, i) => [lane, source.lanes[i]?.length ?? 0])) as Record<
    Lane,
    number
  >;
  return {
    atMs: nowMs,
    pools,
    keys: keySnapshots,
    queued,
    inFlight: source.inFlight,
    ...(nextRetryAtMs !== undefined ? { nextRetryAtMs } : {}),
    ...(source.nextWakeAtMs !== undefined && source.queued.length > 0 && source.nextWakeAtMs > nowMs
      ? { nextStartAtMs: source.nextWakeAtMs }
      : {}),
    ...(source.next ? { next: source.next } : {}),
    ...(source.head ? { head: source.head } : {}),
  };
}
