import type { Clock } from '../clock';
import type { Cost } from '../limits/cost';
import { DIMENSIONS, type Dimension } from '../limits/dimensions';
import type { RateLimitReport } from '../limits/rateLimitHeaders';
import type { RatePool } from '../limits/ratePool';
import type { Plan } from '../scheduling/dispatchPlanner';
import type { InFlightAttempt, RequestEntry } from '../scheduling/requestEntry';
import type { SchedulerOptions } from '../scheduling/schedulerOptions';
import type { SchedulerLogEntry } from '../scheduling/schedulerTypes';
import {
  isShareablePool,
  type LeaseAnswer,
  type SharedBudget,
  type SharedLimit,
  type SharedLimits,
  type SharedPoolId,
  type SharedReading,
} from './sharedBudget';

/** A lease the shared budget granted for one attempt. */
export interface SharedLease {
  readonly pool: SharedPoolId;
  readonly leaseId: string;
}

/** What the dispatch loop may do with a request it planned to send now: send it (unshared), or it is held for a lease. */
export type SharedAdmission = 'send' | 'held';

/** What the shared leases need from the scheduler. */
export interface SharedLeasesHost {
  readonly clock: Clock;
  options(): SchedulerOptions;
  isDisposed(): boolean;
  /** Sends `entry` under `lease` when it may still start now on the lease's pool; false when not. */
  sendLeased(entry: RequestEntry, lease: SharedLease): boolean;
  pump(): void;
  log(level: SchedulerLogEntry['level'], message: string, requestId?: string): void;
}

/** The shared pool of a local pool, or undefined when it is not shared (no port, or its organization is not known yet). */
function sharedPoolOf(pool: RatePool): SharedPoolId | undefined {
  const id = { organizationId: pool.organizationId, modelClass: pool.modelClass };
  return isShareablePool(id) ? id : undefined;
}

/** The limits a new shared pool starts from: this window's, as configured or learned. */
function limitsOf(pool: RatePool): SharedLimits {
  const limits: Partial<Record<Dimension, SharedLimit>> = {};
  for (const d of DIMENSIONS) {
    const perMinute = pool.limit(d);
    if (perMinute !== undefined) limits[d] = { perMinute };
  }
  return limits;
}

/** True when `lease` was granted on the shared pool of `pool`. */
export function isLeaseOf(lease: SharedLease, pool: RatePool): boolean {
  return lease.pool.organizationId === pool.organizationId && lease.pool.modelClass === pool.modelClass;
}

/**
 * The engine's side of a {@link SharedBudget}: before a request of a shared pool is sent, a lease is
 * asked for while the request stays in its lane (held: planning skips it, so the rest of the queue
 * keeps moving). A grant sends it at once, or goes back when the request may no longer start (a
 * lease never waits unsent: the store's count and the server's would drift apart); a wait moves
 * its not-before time; no answer (the store is down, or slower than the lease timeout on the
 * injected clock) sends it under local pacing alone. Settlements, refunds and header readings
 * follow each attempt to the store without being awaited.
 */
export class SharedLeases {
  readonly #host: SharedLeasesHost;
  readonly #budget: SharedBudget | undefined;
  readonly #pending = new Set<RequestEntry>();
  /** Requests whose lease got no answer: their next attempt goes under local pacing. */
  readonly #local = new Set<RequestEntry>();

  /** Leases through `budget`; without one every request is sent under local pacing. */
  constructor(budget: SharedBudget | undefined, host: SharedLeasesHost) {
    this.#host = host;
    this.#budget = budget;
  }

  /** Leases asked for and not answered yet. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** True while a lease for `entry` is being asked for: planning passes it by. */
  isHeld(entry: RequestEntry): boolean {
    return this.#pending.has(entry);
  }

  /** For a request planned to start now: send it (with its lease, if shared) or hold it for a lease. */
  admit(entry: RequestEntry, plan: Plan): SharedAdmission {
    const budget = this.#budget;
    const pool = sharedPoolOf(plan.pool);
    if (this.#local.delete(entry) || !budget || !pool || budget.health === 'down') return 'send';
    this.#ask(budget, entry, pool, plan.pool);
    return 'held';
  }

  /** The request ended or was cancelled: a lease answered later goes back. */
  forget(entry: RequestEntry): void {
    this.#pending.delete(entry);
    this.#local.delete(entry);
  }

  /** The attempt ended having used its reservation's (now settled) cost. */
  settle(attempt: InFlightAttempt): void {
    const lease = attempt.sharedLease;
    if (lease && this.#budget) void this.#budget.settle(lease.pool, lease.leaseId, attempt.reservation.cost);
  }

  /** The attempt consumed nothing (refused before any work). */
  refund(attempt: InFlightAttempt): void {
    if (attempt.sharedLease) this.#refund(attempt.sharedLease);
  }

  /** Forwards an admitted response's rate-limit headers as a reading of the attempt's shared pool. */
  sync(attempt: InFlightAttempt, report: RateLimitReport): void {
    const budget = this.#budget;
    const pool = budget && sharedPoolOf(attempt.pool);
    if (!budget || !pool || !report.hasRateLimitHeaders) return;
    const reading: SharedReading = {
      readAtMs: report.serverDateMs ?? this.#host.clock.now(),
      ...(attempt.sharedLease ? { sourceLeaseId: attempt.sharedLease.leaseId } : {}),
      dimensions: report.dimensions,
    };
    void budget.syncHeaders(pool, reading);
  }

  #ask(budget: SharedBudget, entry: RequestEntry, pool: SharedPoolId, local: RatePool): void {
    const host = this.#host;
    this.#pending.add(entry);
    let isAnswered = false;
    const answer = (result: LeaseAnswer): void => {
      if (isAnswered) {
        // Answered after the timeout: the request already went under local pacing.
        if (result.kind === 'granted') this.#refund({ pool, leaseId: result.leaseId });
        return;
      }
      isAnswered = true;
      host.clock.clearTimer(timer);
      this.#onAnswer(entry, pool, result);
    };
    const timer = host.clock.setTimer(() => answer({ kind: 'down' }), host.options().leaseTimeoutMs);
    void budget
      .lease(pool, copyCost(entry.cost), limitsOf(local))
      .then(answer, () => answer({ kind: 'down' }));
  }

  #onAnswer(entry: RequestEntry, pool: SharedPoolId, result: LeaseAnswer): void {
    const host = this.#host;
    const isWaiting = this.#pending.delete(entry) && entry.state === 'queued' && !host.isDisposed();
    if (!isWaiting) {
      if (result.kind === 'granted') this.#refund({ pool, leaseId: result.leaseId });
      return;
    }
    if (result.kind === 'granted') {
      const lease = { pool, leaseId: result.leaseId };
      if (!host.sendLeased(entry, lease)) this.#refund(lease);
    } else if (result.kind === 'wait') entry.sharedNotBeforeMs = host.clock.now() + result.waitMs;
    else {
      this.#local.add(entry);
      host.log('warn', 'the shared budget did not answer: sending under this window’s own pacing', entry.id);
    }
    host.pump();
  }

  #refund(lease: SharedLease): void {
    if (this.#budget) void this.#budget.refund(lease.pool, lease.leaseId);
  }
}

/** The store gets a copy: the entry's cost may be re-priced while the lease is asked for. */
function copyCost(cost: Cost): Cost {
  return { ...cost };
}
