// The shipped in-memory store (LocalBudgetStore) on a manual clock, for the engine's unit tests,
// recording every grant, close and reading, with switches for a store that is down, never
// answers, or answers only when the test says so.
import { LocalBudgetStore } from '../../src/coordination/local/localBudgetStore';
import type { Cost } from '../../src/pacer/limits/cost';
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
  readonly #store: LocalBudgetStore;

  /** A store on `clock`. */
  constructor(clock: ManualClock) {
    this.#store = new LocalBudgetStore({ clock });
  }

  lease(pool: SharedPoolId, cost: Cost, limits: SharedLimits): Promise<LeaseAnswer> {
    if (this.mode === 'down') return Promise.resolve({ kind: 'down' });
    if (this.mode === 'hang') return new Promise<LeaseAnswer>(() => undefined);
    if (this.mode === 'manual')
      return new Promise<LeaseAnswer>((resolve) =>
        this.held.push({ pool, cost, answer: () => void this.#admit(pool, cost, limits).then(resolve) }),
      );
    return this.#admit(pool, cost, limits);
  }

  async settle(pool: SharedPoolId, leaseId: string, actual: Cost): Promise<CloseAnswer> {
    const answer = await this.#store.settle(pool, leaseId, actual);
    this.closes.push({ leaseId, actual: { ...actual }, answer: answer.kind });
    return answer;
  }

  async refund(pool: SharedPoolId, leaseId: string): Promise<CloseAnswer> {
    const answer = await this.#store.refund(pool, leaseId);
    this.closes.push({ leaseId, answer: answer.kind });
    return answer;
  }

  syncHeaders(pool: SharedPoolId, reading: SharedReading): Promise<SyncAnswer> {
    this.readings.push(reading);
    return this.#store.syncHeaders(pool, reading);
  }

  async #admit(pool: SharedPoolId, cost: Cost, limits: SharedLimits): Promise<LeaseAnswer> {
    const answer = await this.#store.lease(pool, cost, limits);
    if (answer.kind === 'granted')
      this.grants.push({ leaseId: answer.leaseId, atMs: answer.atMs, cost: { ...cost }, pool: { ...pool } });
    return answer;
  }
}
