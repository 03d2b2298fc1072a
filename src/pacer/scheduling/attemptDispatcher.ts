import type { Clock } from '../clock';
import type { DispatchPlanner, Plan } from './dispatchPlanner';
import type { KeyPool } from '../keys/keyPool';
import type { OverloadTracker } from '../retry/overloadTracker';
import type { PoolRegistry } from '../limits/poolRegistry';
import { parseRateLimitHeaders, type RateLimitReport } from '../limits/rateLimitHeaders';
import { sendAttempt } from './attemptSender';
import type { InFlightAttempt, RequestEntry } from './requestEntry';
import type { RequestQueue } from './requestQueue';
import type { SchedulerOptions } from './schedulerOptions';
import type { SchedulerLogEntry } from './schedulerTypes';
import type { SharedLease, SharedLeases } from '../sharing/sharedLeases';
import type { AttemptOutcome, Transport } from '../transport';

/** What the attempt dispatcher needs from the scheduler. */
export interface DispatchHost {
  readonly clock: Clock;
  readonly transport: Transport;
  readonly keys: KeyPool;
  readonly pools: PoolRegistry;
  readonly overloads: OverloadTracker;
  readonly queue: RequestQueue;
  readonly planner: DispatchPlanner;
  readonly sharing: SharedLeases;
  options(): SchedulerOptions;
  isDisposed(): boolean;
  /** Sets the request's model, class and cost. */
  price(entry: RequestEntry, model: string): void;
  /** Settles an attempt's outcome (the retry layer). */
  handleOutcome(entry: RequestEntry, attempt: InFlightAttempt, outcome: AttemptOutcome): void;
  pump(): void;
  changed(): void;
  log(level: SchedulerLogEntry['level'], message: string | (() => string), requestId?: string): void;
  last4(keyId: string): string;
}

/**
 * The attempt lifecycle: takes a planned request out of the queue, reserves its cost in its pool,
 * sends it, syncs pools from its headers (learning organizations), and hands its outcome on. Owns
 * the in-flight count and the set of live attempts.
 */
export class AttemptDispatcher {
  readonly #host: DispatchHost;
  readonly #attempts = new Set<InFlightAttempt>();
  #inFlight = 0;

  /** Acts on `host`. */
  constructor(host: DispatchHost) {
    this.#host = host;
  }

  /** Attempts sent and not yet answered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Sends one attempt of `entry` as `plan` says, under `lease` of the shared budget when it has one. */
  dispatch(entry: RequestEntry, plan: Plan, now: number, lease?: SharedLease): void {
    const host = this.#host;
    host.queue.dequeue(entry);
    this.#applyFallbackRoute(entry, now);
    entry.state = 'in_flight';
    entry.attempts++;
    entry.partialText = '';
    this.#inFlight++;
    const pool = host.pools.poolFor(plan.keyId, entry.modelClass);
    const attempt: InFlightAttempt = {
      keyId: plan.keyId,
      pool,
      reservation: pool.reserve(entry.cost, now, entry.id),
      isSynced: false,
      modelClass: entry.modelClass,
      ...(lease ? { sharedLease: lease } : {}),
    };
    entry.inFlight = attempt;
    this.#attempts.add(attempt);
    host.keys.markUsed(plan.keyId, now);
    host.planner.invalidateKeys();
    const controller = new AbortController();
    entry.attemptController = controller;
    host.log(
      'info',
      () => `sending ${entry.options.label ?? 'request'} (attempt ${entry.attempts}, ${entry.request.model})`,
      entry.id,
    );
    void sendAttempt(host.transport, entry, attempt, plan.keyId, controller, {
      onTextError: (error) => host.log('warn', `text listener threw: ${String(error)}`, entry.id),
      onHeaders: (headers) => {
        this.syncFrom(attempt, parseRateLimitHeaders(headers, host.clock.now()), true);
        // The first headers of a pool end its probe, and any sync may let queued work start.
        host.pump();
      },
    }).then((outcome) => this.#onOutcome(entry, attempt, outcome));
    host.changed();
  }

  /** Re-syncs the attempt's pool from headers (and learns the organization); `isAdmitted` for a 200. */
  syncFrom(attempt: InFlightAttempt, report: RateLimitReport, isAdmitted: boolean): void {
    const now = this.#host.clock.now();
    if (report.organizationId) this.learnOrganization(attempt.keyId, report.organizationId, now);
    this.#host.pools
      .poolFor(attempt.keyId, attempt.modelClass)
      .sync(report, attempt.reservation, now, isAdmitted);
    // A refusal's headers show 0 on the limiter that refused, not its level: only answers are readings.
    if (isAdmitted) this.#host.sharing.sync(attempt, report);
  }

  /** Records a key's organization; a merged pool's live attempts move with it. */
  learnOrganization(keyId: string, organizationId: string, now: number): void {
    const changed = this.#host.pools.learnOrganization(keyId, organizationId, now, (from, to) => {
      for (const attempt of this.#attempts) if (attempt.pool === from) attempt.pool = to;
    });
    if (changed)
      this.#host.log('info', `key …${this.#host.last4(keyId)} belongs to organization ${organizationId}`);
  }

  #onOutcome(entry: RequestEntry, attempt: InFlightAttempt, outcome: AttemptOutcome): void {
    if (this.#host.isDisposed()) return;
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (entry.inFlight === attempt) delete entry.inFlight;
    // Still listed while handled: its headers may merge its pool into its organization's, and the
    // merge repoints listed attempts, so the answer settles where the reservation now lives.
    this.#host.handleOutcome(entry, attempt, outcome);
    this.#attempts.delete(attempt);
    this.#host.pump();
  }

  /** Routes to the fallback model while the primary keeps answering "overloaded". */
  #applyFallbackRoute(entry: RequestEntry, now: number): void {
    const options = this.#host.options();
    const fallback = options.fallbackModel;
    if (!fallback || entry.request.model === fallback) return;
    const streak = this.#host.overloads.streakAtLeast(
      entry.request.model,
      options.fallbackAfterOverloads,
      now,
    );
    if (streak === undefined) return;
    this.#host.log(
      'warn',
      `${entry.request.model} overloaded ${streak} times in a row: using ${fallback}`,
      entry.id,
    );
    this.#host.price(entry, fallback);
    entry.usedFallback = true;
  }
}
