import type {
  CloseAnswer,
  Cost,
  LeaseAnswer,
  SharedBudget,
  SharedBudgetHealth,
  SharedLimits,
  SharedPoolId,
  SharedReading,
  SyncAnswer,
} from '../pacer/index';
import { createSystemClock } from '../pacer/index';
import { coordinatorSocketPath } from './local/coordinatorSocketPath';
import { LocalSharedBudget, type LocalRole } from './local/localSharedBudget';
import { RedisSharedBudget, type RedisSharedBudgetOptions } from './redis/redisSharedBudget';

/** A store the switch can open and close (Redis, the local coordinator; a fake in tests). */
export type ClosableSharedBudget = SharedBudget & {
  dispose(): void;
  /** How many clients (windows, teammates) share the store, this one included, as far as it knows. */
  readonly sharerCount?: number;
  /** This window's part in the local coordinator. */
  readonly role?: LocalRole;
};

/**
 * Where the budget is, for the log and the status bar: nowhere (this window alone), shared by the
 * windows of this machine (`role`: this window keeps it, asks the one that does, or is finding it),
 * or a Redis host (`isUp`: it answers; else this window paces on its own until it is back). The
 * host is `host[:port]` only: never a user name or password.
 */
export type BudgetPlace =
  | { readonly kind: 'local' }
  | { readonly kind: 'windows'; readonly role: LocalRole; readonly windowCount: number }
  | { readonly kind: 'redis'; readonly host: string; readonly isUp: boolean; readonly clientCount: number };

/** Opens the local coordinator; `onChange` is told when its role or window count changes. */
export type OpenWindowsBudget = (
  log: (message: string) => void,
  onChange: () => void,
) => ClosableSharedBudget | undefined;

/** The local coordinator at this user's socket, or `undefined` (logged) when its folder is not safely ours. */
const openWindowsBudget: OpenWindowsBudget = (log, onChange) => {
  let socketPath: string;
  try {
    socketPath = coordinatorSocketPath();
  } catch (error) {
    log(
      `windows of this machine cannot share a budget: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
  const budget = new LocalSharedBudget({ socketPath, clock: createSystemClock(), log, onChange });
  return {
    get health() {
      return budget.health;
    },
    get sharerCount() {
      return budget.windowCount;
    },
    get role() {
      return budget.role;
    },
    lease: (pool, cost, limits) => budget.lease(pool, cost, limits),
    settle: (pool, leaseId, actual) => budget.settle(pool, leaseId, actual),
    refund: (pool, leaseId) => budget.refund(pool, leaseId),
    syncHeaders: (pool, reading) => budget.syncHeaders(pool, reading),
    dispose: () => void budget.dispose(),
  };
};

const DOWN = Promise.resolve({ kind: 'down' } as const);

/**
 * The scheduler's one {@link SharedBudget} for the window's life, following the
 * `coordination.redisUrl` and `coordination.shareAcrossWindows` settings: Redis at that URL, else
 * the windows of this machine (local coordinator), else none (every call answers `down`, so the
 * scheduler paces locally). Switching closes the old store; a lease of the old store that is
 * settled later reaches the new one, which answers `unknown`, harmlessly.
 */
export class SwitchableSharedBudget implements SharedBudget {
  readonly #open: (options: RedisSharedBudgetOptions) => ClosableSharedBudget;
  readonly #openWindows: OpenWindowsBudget;
  readonly #log: (message: string) => void;
  readonly #listeners = new Set<() => void>();
  #store: ClosableSharedBudget | undefined;
  #url = '';
  #password = '';
  #isWindows = false;
  #isWindowsAllowed = false;

  /**
   * Tells `log` when a store starts or stops answering; `open` makes a Redis store, `openWindows`
   * the local coordinator (the real ones by default).
   */
  constructor(
    log: (message: string) => void,
    open: (options: RedisSharedBudgetOptions) => ClosableSharedBudget = (options) =>
      new RedisSharedBudget(options),
    openWindows: OpenWindowsBudget = openWindowsBudget,
  ) {
    this.#log = log;
    this.#open = open;
    this.#openWindows = openWindows;
  }

  /** Where the budget is now. */
  get place(): BudgetPlace {
    const store = this.#store;
    if (this.#url !== '')
      return {
        kind: 'redis',
        host: new URL(this.#url).host,
        isUp: store?.health === 'up',
        clientCount: store?.sharerCount ?? 0,
      };
    if (!this.#isWindows || !store) return { kind: 'local' };
    return { kind: 'windows', role: store.role ?? 'electing', windowCount: store.sharerCount ?? 1 };
  }

  /** Calls `listener` whenever {@link place} may have changed; returns the unsubscribe function. */
  onDidChangePlace(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether the store answers; `down` with none. */
  get health(): SharedBudgetHealth {
    return this.#store?.health ?? 'down';
  }

  /**
   * Uses Redis at `url` (a normalized setting: no password in it) with `password` (from
   * SecretStorage; '' for none); an empty `url` falls back to the windows of this machine when
   * {@link shareAcrossWindows} is on, else to none. A change of either reconnects.
   */
  use(url: string, password = ''): void {
    this.#apply(url, password, this.#isWindowsAllowed);
  }

  /** Whether, without a Redis URL, the windows of this machine share one budget (off until called). */
  shareAcrossWindows(isAllowed: boolean): void {
    this.#apply(this.#url, this.#password, isAllowed);
  }

  #apply(url: string, password: string, isWindowsAllowed: boolean): void {
    this.#isWindowsAllowed = isWindowsAllowed;
    const isWindows = url === '' && isWindowsAllowed;
    if (url === this.#url && password === this.#password && isWindows === this.#isWindows) return;
    const old = this.#store;
    this.#store = undefined;
    this.#url = url;
    this.#password = password;
    this.#isWindows = isWindows;
    // Cleared first: a closed store's last "down" is not news.
    old?.dispose();
    this.#changed();
    if (isWindows) {
      const store = this.#openWindows(this.#log, () => {
        if (this.#store === store) this.#changed();
      });
      this.#store = store;
      this.#changed();
      return;
    }
    if (url === '') return;
    const { host } = new URL(url);
    let store: ClosableSharedBudget;
    try {
      store = this.#open({
        url,
        ...(password !== '' ? { password } : {}),
        onClientCount: () => {
          if (this.#store === store) this.#changed();
        },
        onHealth: (health) => {
          if (this.#store !== store) return;
          this.#changed();
          this.#log(
            health === 'up'
              ? `shared budget at ${host}: connected`
              : `shared budget at ${host}: not answering, this window paces on its own until it is back`,
          );
        },
      });
    } catch (error) {
      // The settings let through only usable URLs; this is the last line, never a crash of the window.
      this.#log(`shared budget at ${host}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.#store = store;
    this.#changed();
    this.#log(`shared budget at ${host}: connecting (until it answers, this window paces on its own)`);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Admit-or-wait in the current store. */
  lease(pool: SharedPoolId, cost: Cost, limits: SharedLimits): Promise<LeaseAnswer> {
    return this.#store?.lease(pool, cost, limits) ?? DOWN;
  }

  /** Closes a lease with its real usage. */
  settle(pool: SharedPoolId, leaseId: string, actual: Cost): Promise<CloseAnswer> {
    return this.#store?.settle(pool, leaseId, actual) ?? DOWN;
  }

  /** Gives a whole lease back. */
  refund(pool: SharedPoolId, leaseId: string): Promise<CloseAnswer> {
    return this.#store?.refund(pool, leaseId) ?? DOWN;
  }

  /** Forwards a header reading. */
  syncHeaders(pool: SharedPoolId, reading: SharedReading): Promise<SyncAnswer> {
    return this.#store?.syncHeaders(pool, reading) ?? DOWN;
  }

  /** Closes the store (a coordinating window hands the budget on). */
  dispose(): void {
    this.#apply('', '', false);
  }
}
