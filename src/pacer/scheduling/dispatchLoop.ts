import type { AttemptDispatcher } from './attemptDispatcher';
import type { Clock, TimerHandle } from '../clock';
import type { DispatchPlanner, Plan } from './dispatchPlanner';
import type { KeyPool } from '../keys/keyPool';
import { noPlanReason } from './noPlanReason';
import type { PoolRegistry } from '../limits/poolRegistry';
import type { RequestEntry } from './requestEntry';
import type { SchedulerOptions } from './schedulerOptions';
import type { RequestResult } from './schedulerTypes';
import { isLeaseOf, type SharedLease, type SharedLeases } from '../sharing/sharedLeases';

/** What the dispatch loop needs from the scheduler. */
export interface DispatchLoopHost {
  readonly clock: Clock;
  readonly keys: KeyPool;
  readonly pools: PoolRegistry;
  readonly planner: DispatchPlanner;
  readonly dispatcher: AttemptDispatcher;
  readonly sharing: SharedLeases;
  options(): SchedulerOptions;
  isDisposed(): boolean;
  finish(entry: RequestEntry, result: RequestResult): void;
  /** Runs after every pump (the long-wait check). */
  afterPump(): void;
}

/**
 * The pump: starts everything that can start now (the head, or a backfill behind a waiting head),
 * then sleeps on one timer until the earliest moment something can change. Re-entrant calls (an
 * outcome or a listener pumping mid-pump) are folded into another pass of the running pump.
 */
export class DispatchLoop {
  readonly #host: DispatchLoopHost;
  #timer?: TimerHandle;
  #timerDueMs?: number;
  #isPumping = false;
  #pumpAgain = false;

  /** Acts on `host`. */
  constructor(host: DispatchLoopHost) {
    this.#host = host;
  }

  /** When the pending wake-up fires: the earliest moment queued work can start; undefined if none. */
  get nextWakeAtMs(): number | undefined {
    return this.#timerDueMs;
  }

  /** Starts what can start now and sets the next wake-up. */
  pump(): void {
    if (this.#host.isDisposed()) return;
    if (this.#isPumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#isPumping = true;
    try {
      do {
        this.#pumpAgain = false;
        this.#pumpOnce();
      } while (this.#pumpAgain);
    } finally {
      this.#isPumping = false;
    }
    this.#host.afterPump();
  }

  /** Cancels the pending wake-up. */
  dispose(): void {
    if (this.#timer) this.#host.clock.clearTimer(this.#timer);
  }

  #pumpOnce(): void {
    const { clock, planner, dispatcher } = this.#host;
    if (this.#timer) clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const now = clock.now();
    planner.invalidateKeys();
    let wakeAtMs = Number.POSITIVE_INFINITY;
    for (;;) {
      const slotsLeft =
        this.#host.options().maxInFlight - dispatcher.inFlight - this.#host.sharing.pendingCount;
      if (slotsLeft <= 0) break;
      const head = planner.head(now);
      if (!head) break;
      if (slotsLeft === 1 && planner.leavesSlotForInteractive(head, now)) break;
      const plan = this.#planOrFail(head, now);
      if (!plan) continue;
      if (plan.waitMs <= 0) {
        this.#send(head, plan, now);
        continue;
      }
      wakeAtMs = Math.min(wakeAtMs, now + plan.waitMs);
      const filler = planner.backfill(head, plan, now);
      for (const doomed of filler.doomed) this.#planOrFail(doomed, now);
      if (filler.entry && filler.plan) {
        this.#send(filler.entry, filler.plan, now);
        continue;
      }
      wakeAtMs = Math.min(wakeAtMs, filler.wakeAtMs, planner.nextAgingMs(now));
      break;
    }
    this.#timerDueMs = undefined;
    if (Number.isFinite(wakeAtMs)) {
      this.#timerDueMs = wakeAtMs;
      this.#timer = clock.setTimer(
        () => {
          this.#timer = undefined;
          this.#timerDueMs = undefined;
          this.pump();
        },
        Math.max(0, wakeAtMs - now),
      );
    }
  }

  /** Sends `entry` under `lease` if it may still start now on the lease's pool; false when it may not. */
  sendLeased(entry: RequestEntry, lease: SharedLease): boolean {
    const { clock, planner, dispatcher } = this.#host;
    const now = clock.now();
    planner.invalidateKeys();
    const plan = planner.plan(entry, now);
    if (!plan || plan.waitMs > 0 || !isLeaseOf(lease, plan.pool)) return false;
    dispatcher.dispatch(entry, plan, now, lease);
    return true;
  }

  /** Sends now, or holds the request while a shared budget is asked for a lease (the loop goes on without it). */
  #send(entry: RequestEntry, plan: Plan, now: number): void {
    if (this.#host.sharing.admit(entry, plan) === 'send') this.#host.dispatcher.dispatch(entry, plan, now);
  }

  /** Like the planner's plan, but a request that can go nowhere is failed here with the reason. */
  #planOrFail(entry: RequestEntry, now: number): Plan | undefined {
    const host = this.#host;
    const plan = host.planner.plan(entry, now);
    if (!plan) {
      const isOutputReserved = host.options().otpmRegime === 'legacy';
      host.finish(entry, {
        status: 'failed',
        reason: noPlanReason(entry, host.keys, host.pools, isOutputReserved, now),
        partialText: entry.partialText,
        attempts: entry.attempts,
      });
    }
    return plan;
  }
}
