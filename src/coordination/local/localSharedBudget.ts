import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import type {
  Clock,
  CloseAnswer,
  Cost,
  LeaseAnswer,
  SharedBudget,
  SharedBudgetHealth,
  SharedLimits,
  SharedPoolId,
  SharedReading,
  SyncAnswer,
} from '../../pacer/index';
import { BudgetCoordinator } from './budgetCoordinator';
import { CoordinatorClient, type ClientAnswer } from './coordinatorClient';
import { LocalBudgetStore } from './localBudgetStore';

/** Options of {@link LocalSharedBudget}. */
export interface LocalSharedBudgetOptions {
  /** The socket (or pipe) every window of this user meets at. */
  readonly socketPath: string;
  readonly clock: Clock;
  /** A coordinator silent this long is gone: answer `down`, elect again. @default 1000 */
  readonly timeoutMs?: number;
  /** How often a coordinator checks that the socket path is still its own. @default 1000 */
  readonly checkMs?: number;
  /** Lease TTL of the store this window keeps when it coordinates. @default 600000 */
  readonly leaseTtlMs?: number;
  /** Told when this window becomes coordinator or client, or loses the coordinator. */
  readonly log?: (message: string) => void;
  /** Called when {@link LocalSharedBudget.role} or {@link LocalSharedBudget.windowCount} changes. */
  readonly onChange?: () => void;
}

/** This window's part: electing, serving the budget to the others, or a client of the one that does. */
export type LocalRole = 'electing' | 'coordinator' | 'client';

const DOWN = { kind: 'down' } as const;
const ELECTION_ATTEMPTS = 3;
const RETRY_MS = 250;

/**
 * One budget for every window of this machine, with no setup: the first window to bind the socket
 * keeps the store ({@link LocalBudgetStore}) and serves it ({@link BudgetCoordinator}); the others
 * ask it over the socket. A stale socket file (connect refused) is removed and the bind retried; a
 * coordinator that stops answering is taken over (Unix: its socket file is replaced). While there is
 * no coordinator every call answers `down`, and the scheduler paces locally.
 */
export class LocalSharedBudget implements SharedBudget {
  readonly #options: Required<Omit<LocalSharedBudgetOptions, 'log' | 'onChange'>>;
  readonly #log: (message: string) => void;
  readonly #onChange: () => void;
  readonly #id = randomUUID();
  #role: LocalRole = 'electing';
  #store: LocalBudgetStore | undefined;
  #coordinator: BudgetCoordinator | undefined;
  #client: CoordinatorClient | undefined;
  #timer: ReturnType<Clock['setTimer']> | undefined;
  #isElecting = false;
  #isDisposed = false;
  /** Windows sharing the budget as the coordinator last said (a client's view). */
  #reportedWindowCount = 1;
  #lastNotified = '';

  /** Starts the election at once. */
  constructor(options: LocalSharedBudgetOptions) {
    this.#options = { timeoutMs: 1_000, checkMs: 1_000, leaseTtlMs: 600_000, ...options };
    this.#log = options.log ?? (() => undefined);
    this.#onChange = options.onChange ?? (() => undefined);
    void this.#elect();
  }

  /** This window's part now. */
  get role(): LocalRole {
    return this.#role;
  }

  /** How many other windows lease from this one (0 unless it coordinates). */
  get clientCount(): number {
    return this.#coordinator?.clientCount ?? 0;
  }

  /**
   * How many windows share the budget, this one included: the coordinator counts its connections;
   * a client learns the count from its pings (each `checkMs`); 1 while electing.
   */
  get windowCount(): number {
    if (this.#role === 'coordinator') return this.clientCount + 1;
    return this.#role === 'client' ? this.#reportedWindowCount : 1;
  }

  /** `up` while this window coordinates or reaches the coordinator. */
  get health(): SharedBudgetHealth {
    return this.#role === 'electing' ? 'down' : 'up';
  }

  /** Admit-or-wait in the machine's budget. */
  async lease(pool: SharedPoolId, cost: Cost, limits: SharedLimits): Promise<LeaseAnswer> {
    if (this.#store) return this.#store.lease(pool, cost, limits);
    const answer = await this.#ask({ op: 'lease', pool, cost, limits });
    return answer?.kind === 'granted' || answer?.kind === 'wait' ? answer : DOWN;
  }

  /** Closes a lease with its real usage. */
  async settle(pool: SharedPoolId, leaseId: string, actual: Cost): Promise<CloseAnswer> {
    if (this.#store) return this.#store.settle(pool, leaseId, actual);
    return closeAnswer(await this.#ask({ op: 'settle', pool, leaseId, actual }));
  }

  /** Gives a whole lease back. */
  async refund(pool: SharedPoolId, leaseId: string): Promise<CloseAnswer> {
    if (this.#store) return this.#store.refund(pool, leaseId);
    return closeAnswer(await this.#ask({ op: 'refund', pool, leaseId }));
  }

  /** Forwards a header reading. */
  async syncHeaders(pool: SharedPoolId, reading: SharedReading): Promise<SyncAnswer> {
    if (this.#store) return this.#store.syncHeaders(pool, reading);
    const answer = await this.#ask({ op: 'sync', pool, reading });
    return answer?.kind === 'applied' || answer?.kind === 'stale' ? answer : DOWN;
  }

  /** Leaves: a coordinator stops serving (the others elect a new one), a client disconnects. */
  async dispose(): Promise<void> {
    this.#isDisposed = true;
    if (this.#timer) this.#options.clock.clearTimer(this.#timer);
    await this.#stepDown();
  }

  async #ask(body: Parameters<CoordinatorClient['request']>[0]): Promise<ClientAnswer> {
    const client = this.#client;
    if (!client) return undefined;
    const answer = await client.request(body);
    // No answer in time: the coordinator hung. Its window keeps its own store until it notices.
    if (answer === undefined && this.#client === client) {
      this.#log('the coordinating window does not answer: pacing locally and electing a new one');
      client.dispose();
      // The connection may have closed before its close listener was added.
      this.#lost(client);
    }
    return answer;
  }

  async #elect(): Promise<void> {
    if (this.#isElecting || this.#isDisposed) return;
    this.#isElecting = true;
    try {
      for (let attempt = 0; attempt < ELECTION_ATTEMPTS && !this.#isDisposed; attempt++)
        if (await this.#tryOnce()) return;
      this.#schedule(() => void this.#elect(), RETRY_MS);
    } finally {
      this.#isElecting = false;
    }
  }

  /** One round: bind, else join the coordinator there, else clear a dead one's socket. True when placed. */
  async #tryOnce(): Promise<boolean> {
    const { socketPath, clock, timeoutMs, leaseTtlMs } = this.#options;
    const store = new LocalBudgetStore({ clock, leaseTtlMs, random: Math.random });
    try {
      const coordinator = await BudgetCoordinator.listen(socketPath, store, this.#id);
      if (this.#isDisposed) {
        await coordinator.close();
        return true;
      }
      this.#coordinator = coordinator;
      this.#store = store;
      this.#role = 'coordinator';
      this.#log('this window keeps the budget shared by the windows of this machine');
      this.#schedule(() => void this.#checkStillOurs(), this.#options.checkMs);
      this.#notify();
      return true;
    } catch (error) {
      if (errorCode(error) !== 'EADDRINUSE') return false;
    }
    let client: CoordinatorClient;
    try {
      client = await CoordinatorClient.connect(socketPath, clock, timeoutMs);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ECONNREFUSED' || code === 'ENOENT') await removeSocketFile(socketPath);
      return false;
    }
    const pong = await client.request({ op: 'ping', isWindow: true });
    if (pong?.kind !== 'pong') {
      client.dispose();
      await removeSocketFile(socketPath);
      return false;
    }
    if (this.#isDisposed) {
      client.dispose();
      return true;
    }
    this.#client = client;
    this.#role = 'client';
    this.#reportedWindowCount = pong.windowCount ?? 2;
    client.onClose(() => this.#lost(client));
    this.#log('this window shares the budget kept by another window of this machine');
    this.#schedule(() => void this.#pingCoordinator(client), this.#options.checkMs);
    this.#notify();
    return true;
  }

  #lost(client: CoordinatorClient): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#role = 'electing';
    this.#notify();
    if (!this.#isDisposed) void this.#elect();
  }

  /** A client's heartbeat: learns how many windows share the budget, and finds a hung coordinator sooner. */
  async #pingCoordinator(client: CoordinatorClient): Promise<void> {
    if (this.#client !== client || this.#isDisposed) return;
    const pong = await this.#ask({ op: 'ping', isWindow: true });
    if (this.#client !== client || this.#isDisposed) return;
    if (pong?.kind === 'pong' && pong.windowCount !== undefined) this.#reportedWindowCount = pong.windowCount;
    this.#notify();
    this.#schedule(() => void this.#pingCoordinator(client), this.#options.checkMs);
  }

  /** Calls `onChange` when the role or the window count differs from what it was last told. */
  #notify(): void {
    const now = `${this.#role}:${this.windowCount}`;
    if (now === this.#lastNotified) return;
    this.#lastNotified = now;
    this.#onChange();
  }

  /** Steps down when another window took the socket path (both bound at once, or this one was thought hung). */
  async #checkStillOurs(): Promise<void> {
    if (this.#role !== 'coordinator' || this.#isDisposed) return;
    const { socketPath, clock, timeoutMs, checkMs } = this.#options;
    const pong = await CoordinatorClient.connect(socketPath, clock, timeoutMs).then(
      async (probe) => {
        const answer = await probe.request({ op: 'ping' });
        probe.dispose();
        return answer;
      },
      () => undefined,
    );
    if (this.#role !== 'coordinator' || this.#isDisposed) return;
    if (pong?.kind === 'pong' && pong.coordinatorId === this.#id) {
      this.#notify();
      this.#schedule(() => void this.#checkStillOurs(), checkMs);
      return;
    }
    this.#log('another window took over the shared budget: joining it');
    await this.#stepDown();
    void this.#elect();
  }

  async #stepDown(): Promise<void> {
    const coordinator = this.#coordinator;
    const client = this.#client;
    this.#coordinator = undefined;
    this.#client = undefined;
    this.#store = undefined;
    this.#role = 'electing';
    this.#notify();
    client?.dispose();
    await coordinator?.close();
  }

  #schedule(callback: () => void, delayMs: number): void {
    if (this.#timer) this.#options.clock.clearTimer(this.#timer);
    this.#timer = this.#options.clock.setTimer(callback, delayMs);
  }
}

function closeAnswer(answer: ClientAnswer): CloseAnswer {
  return answer?.kind === 'done' || answer?.kind === 'unknown' ? answer : DOWN;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Removes a dead coordinator's socket file (Unix only: a named pipe vanishes with its server). */
async function removeSocketFile(path: string): Promise<void> {
  if (path.startsWith('\\\\.\\pipe\\')) return;
  await unlink(path).catch(() => undefined);
}
