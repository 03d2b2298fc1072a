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
import { RedisSharedBudget, type RedisSharedBudgetOptions } from './redis/redisSharedBudget';

/** A store the switch can open and close (the Redis one; a fake in tests). */
export type ClosableSharedBudget = SharedBudget & { dispose(): void };

/** Where the budget is, for the log and the status bar: nowhere (this window alone) or a Redis host. */
export type BudgetPlace = { readonly kind: 'local' } | { readonly kind: 'redis'; readonly host: string };

const DOWN = Promise.resolve({ kind: 'down' } as const);

/**
 * The scheduler's one {@link SharedBudget} for the window's life, following the
 * `coordination.redisUrl` setting: Redis at that URL, or none (every call answers `down`, so the
 * scheduler paces locally). Switching closes the old connection; a lease of the old store that is
 * settled later reaches the new one, which answers `unknown`, harmlessly.
 */
export class SwitchableSharedBudget implements SharedBudget {
  readonly #open: (options: RedisSharedBudgetOptions) => ClosableSharedBudget;
  readonly #log: (message: string) => void;
  #store: ClosableSharedBudget | undefined;
  #url = '';
  #password = '';

  /** Tells `log` when a store starts or stops answering; `open` makes a store (Redis by default). */
  constructor(
    log: (message: string) => void,
    open: (options: RedisSharedBudgetOptions) => ClosableSharedBudget = (options) =>
      new RedisSharedBudget(options),
  ) {
    this.#log = log;
    this.#open = open;
  }

  /** Where the budget is now. */
  get place(): BudgetPlace {
    return this.#url === '' ? { kind: 'local' } : { kind: 'redis', host: new URL(this.#url).host };
  }

  /** Whether the store answers; `down` with none. */
  get health(): SharedBudgetHealth {
    return this.#store?.health ?? 'down';
  }

  /**
   * Uses Redis at `url` (a normalized setting: no password in it) with `password` (from
   * SecretStorage; '' for none), or none for an empty `url`. A change of either reconnects.
   */
  use(url: string, password = ''): void {
    if (url === this.#url && password === this.#password) return;
    const old = this.#store;
    this.#store = undefined;
    this.#url = url;
    this.#password = password;
    // Cleared first: a closed store's last "down" is not news.
    old?.dispose();
    if (url === '') return;
    const { host } = new URL(url);
    const store = this.#open({
      url,
      ...(password !== '' ? { password } : {}),
      onHealth: (health) => {
        if (this.#store !== store) return;
        this.#log(
          health === 'up'
            ? `shared budget at ${host}: connected`
            : `shared budget at ${host}: not answering, this window paces on its own until it is back`,
        );
      },
    });
    this.#store = store;
    this.#log(`shared budget at ${host}: connecting (until it answers, this window paces on its own)`);
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

  /** Closes the connection. */
  dispose(): void {
    this.use('');
  }
}
