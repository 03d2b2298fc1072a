import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions, type Result } from 'ioredis';
import {
  checkedCost,
  DIMENSIONS,
  checkedPool,
  type CloseAnswer,
  type Cost,
  type LeaseAnswer,
  type SharedBudget,
  type SharedBudgetHealth,
  type SharedLimits,
  type SharedPoolId,
  type SharedReading,
  type SyncAnswer,
} from '../../pacer/index';
import { describeRedisUrlRefusal, redisConnectionOf } from './redisConnection';
import { ADMIT_SCRIPT, PRESENCE_SCRIPT, SETTLE_SCRIPT, SYNC_SCRIPT } from './budgetScripts';

type ScriptArg = string | number;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    claudePacerAdmit(...args: ScriptArg[]): Result<unknown, Context>;
    claudePacerSettle(...args: ScriptArg[]): Result<unknown, Context>;
    claudePacerSync(...args: ScriptArg[]): Result<unknown, Context>;
    claudePacerPresence(...args: ScriptArg[]): Result<unknown, Context>;
  }
}

/** Options of {@link RedisSharedBudget}. */
export interface RedisSharedBudgetOptions {
  /** `redis://[user@]host[:port][/db]` or `rediss://…` (TLS); with a password in it, the constructor throws. */
  readonly url: string;
  /** The password from SecretStorage (kept out of the URL and the settings). */
  readonly password?: string;
  /** An answer slower than this counts as `down`, and so does a connection attempt. @default 2000 */
  readonly timeoutMs?: number;
  /** A lease not settled or refunded within this is dropped (its client is gone). @default 600000 */
  readonly leaseTtlMs?: number;
  /** An idle pool's keys expire after this (never before the leases in it). @default 600000 */
  readonly idleMs?: number;
  /** Prefix of every key. @default 'claudePacer' */
  readonly keyPrefix?: string;
  /** Called when the store starts or stops answering. */
  readonly onHealth?: (health: SharedBudgetHealth) => void;
  /** How often this client says it is here (presence, for the count of clients). @default 5000 */
  readonly heartbeatMs?: number;
  /** Called when the count of clients sharing the store changes. */
  readonly onClientCount?: (count: number) => void;
}

const DEFAULTS = {
  timeoutMs: 2_000,
  leaseTtlMs: 600_000,
  idleMs: 600_000,
  keyPrefix: 'claudePacer',
  heartbeatMs: 5_000,
};
/** A client missing this many heartbeats in a row is no longer counted. */
const PRESENCE_HEARTBEATS = 3;
/** Reconnection attempts back off up to this, so a restarted store is re-joined within about a second. */
const MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * A {@link SharedBudget} kept in Redis by atomic Lua scripts (`budgetScripts.ts`), through ioredis.
 * Commands fail at once while disconnected (no offline queue, no retries), so a caller learns
 * `down` within `timeoutMs` and paces locally; ioredis reconnects in the background and the next
 * call after that goes to Redis again (re-join).
 */
export class RedisSharedBudget implements SharedBudget {
  readonly #redis: Redis;
  readonly #timeoutMs: number;
  readonly #leaseTtlMs: number;
  readonly #idleMs: number;
  readonly #keyPrefix: string;
  readonly #onHealth: ((health: SharedBudgetHealth) => void) | undefined;
  readonly #onClientCount: ((count: number) => void) | undefined;
  readonly #clientId = randomUUID();
  readonly #heartbeatMs: number;
  readonly #heartbeat: ReturnType<typeof setInterval>;
  #health: SharedBudgetHealth = 'down';
  #clientCount = 0;
  #isDisposed = false;

  /**
   * Connects to `options.url` in the background; {@link health} is `down` until Redis answers.
   * Throws a TypeError (naming the problem, not the URL) when the URL cannot be used.
   */
  constructor(options: RedisSharedBudgetOptions) {
    const built = redisConnectionOf(options.url, options.password ?? '');
    if (!built.ok) throw new TypeError(describeRedisUrlRefusal(built.refusal));
    const timeoutMs = positive(options.timeoutMs ?? DEFAULTS.timeoutMs, 'timeoutMs');
    this.#timeoutMs = timeoutMs;
    this.#leaseTtlMs = positive(options.leaseTtlMs ?? DEFAULTS.leaseTtlMs, 'leaseTtlMs');
    // An idle pool must outlive its leases, or a new pool could hand out their ids again.
    this.#idleMs = Math.max(positive(options.idleMs ?? DEFAULTS.idleMs, 'idleMs'), this.#leaseTtlMs);
    this.#keyPrefix = options.keyPrefix ?? DEFAULTS.keyPrefix;
    this.#onHealth = options.onHealth;
    this.#onClientCount = options.onClientCount;
    this.#heartbeatMs = positive(options.heartbeatMs ?? DEFAULTS.heartbeatMs, 'heartbeatMs');
    const redisOptions: RedisOptions = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: timeoutMs,
      connectTimeout: timeoutMs,
      // Closing waits for the socket to end; a store that stopped answering should not hold it longer.
      disconnectTimeout: timeoutMs,
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS),
      ...built.connection,
    };
    this.#redis = new Redis(redisOptions);
    this.#redis.defineCommand('claudePacerAdmit', { numberOfKeys: 3, lua: ADMIT_SCRIPT });
    this.#redis.defineCommand('claudePacerSettle', { numberOfKeys: 3, lua: SETTLE_SCRIPT });
    this.#redis.defineCommand('claudePacerSync', { numberOfKeys: 3, lua: SYNC_SCRIPT });
    this.#redis.defineCommand('claudePacerPresence', { numberOfKeys: 1, lua: PRESENCE_SCRIPT });
    this.#redis.on('ready', () => {
      this.#setHealth('up');
      void this.heartbeat();
    });
    this.#redis.on('close', () => this.#setHealth('down'));
    // Without a listener an unreachable store would crash the host; `close` already reports it.
    this.#redis.on('error', () => undefined);
    this.#heartbeat = setInterval(() => void this.heartbeat(), this.#heartbeatMs);
    // The heartbeat alone must not keep a process (a test, the bench) alive.
    this.#heartbeat.unref();
  }

  /** How many clients share the store (heartbeats within the last three intervals); 0 until Redis answers. */
  get sharerCount(): number {
    return this.#clientCount;
  }

  /** Says this client is here and learns how many are; runs every `heartbeatMs` and on (re)connect. */
  async heartbeat(): Promise<number | undefined> {
    const reply = await this.#run(() => this.#presence(1));
    if (typeof reply !== 'number') return undefined;
    if (reply !== this.#clientCount) {
      this.#clientCount = reply;
      this.#onClientCount?.(reply);
    }
    return reply;
  }

  /** Whether Redis answered the last call (and is connected). */
  get health(): SharedBudgetHealth {
    return this.#health;
  }

  /** Admit-or-wait in Redis. */
  async lease(pool: SharedPoolId, cost: Cost, limits: SharedLimits): Promise<LeaseAnswer> {
    const checked = checkedCost(cost);
    const limitArgs = DIMENSIONS.map((d) => limits[d]?.perMinute ?? -1);
    const reply = await this.#run(() =>
      this.#redis.claudePacerAdmit(
        ...this.#keys(pool),
        this.#leaseTtlMs,
        this.#idleMs,
        ...DIMENSIONS.map((d) => checked[d]),
        ...limitArgs,
      ),
    );
    if (!isTriple(reply)) return { kind: 'down' };
    const [admitted, value, atMs] = reply;
    if (admitted === 1) return { kind: 'granted', leaseId: String(value), atMs: Number(atMs) };
    return { kind: 'wait', waitMs: Number(value), atMs: Number(atMs) };
  }

  /** Closes a lease with the real usage. */
  async settle(pool: SharedPoolId, leaseId: string, actual: Cost): Promise<CloseAnswer> {
    const checked = checkedCost(actual);
    return this.#close(
      pool,
      leaseId,
      DIMENSIONS.map((d) => checked[d]),
    );
  }

  /** Closes a lease giving all of it back. */
  async refund(pool: SharedPoolId, leaseId: string): Promise<CloseAnswer> {
    return this.#close(pool, leaseId, [0, 0, 0, 0]);
  }

  /** Applies a header reading unless a newer one was applied. */
  async syncHeaders(pool: SharedPoolId, reading: SharedReading): Promise<SyncAnswer> {
    if (!Number.isFinite(reading.readAtMs))
      throw new TypeError(`readAtMs must be finite, got ${reading.readAtMs}`);
    const dimensionArgs = DIMENSIONS.flatMap((d) => {
      const dim = reading.dimensions[d];
      return [countOrAbsent(dim?.limit), countOrAbsent(dim?.remaining)];
    });
    const reply = await this.#run(() =>
      this.#redis.claudePacerSync(
        ...this.#keys(pool),
        reading.readAtMs,
        reading.sourceLeaseId === undefined ? -1 : leaseNumber(reading.sourceLeaseId),
        this.#idleMs,
        ...dimensionArgs,
      ),
    );
    if (!Array.isArray(reply)) return { kind: 'down' };
    return reply[0] === 1 ? { kind: 'applied' } : { kind: 'stale' };
  }

  /** Leaves the presence set (best effort) and closes the connection; later calls answer `down`. */
  dispose(): void {
    if (this.#isDisposed) return;
    this.#isDisposed = true;
    clearInterval(this.#heartbeat);
    const leave = this.#redis.status === 'ready' ? this.#presence(0) : Promise.resolve();
    void withTimeout(leave, this.#timeoutMs)
      .catch(() => undefined)
      .finally(() => this.#redis.disconnect());
    this.#setHealth('down');
  }

  async #close(pool: SharedPoolId, leaseId: string, actual: number[]): Promise<CloseAnswer> {
    const reply = await this.#run(() =>
      this.#redis.claudePacerSettle(...this.#keys(pool), leaseNumber(leaseId), this.#idleMs, ...actual),
    );
    if (!Array.isArray(reply)) return { kind: 'down' };
    return reply[0] === 1 ? { kind: 'done' } : { kind: 'unknown' };
  }

  #presence(isHere: 0 | 1): Promise<unknown> {
    const ttlMs = this.#heartbeatMs * PRESENCE_HEARTBEATS;
    return this.#redis.claudePacerPresence(`${this.#keyPrefix}:clients`, this.#clientId, ttlMs, isHere);
  }

  /** The pool's three keys; its name alone (organization and class) sits in the hash tag. */
  #keys(pool: SharedPoolId): [string, string, string] {
    checkedPool(pool);
    const base = `${this.#keyPrefix}:{${pool.organizationId}|${pool.modelClass}}`;
    return [`${base}:bucket`, `${base}:leases`, `${base}:costs`];
  }

  /** Runs a command; any failure (disconnected, timed out, refused) is `undefined` and marks the store down. */
  async #run(command: () => Promise<unknown>): Promise<unknown> {
    if (this.#redis.status !== 'ready' || this.#isDisposed) return undefined;
    try {
      const reply = await withTimeout(command(), this.#timeoutMs);
      this.#setHealth('up');
      return reply;
    } catch {
      this.#setHealth('down');
      return undefined;
    }
  }

  #setHealth(health: SharedBudgetHealth): void {
    if (health === this.#health) return;
    this.#health = health;
    this.#onHealth?.(health);
  }
}

function isTriple(reply: unknown): reply is [number, string | number, number] {
  return Array.isArray(reply) && reply.length === 3 && (reply[0] === 0 || reply[0] === 1);
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function countOrAbsent(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : -1;
}

/** A lease id as the store issued it (a positive integer), or a TypeError. */
function leaseNumber(leaseId: string): number {
  if (!/^[1-9]\d{0,15}$/.test(leaseId)) throw new TypeError(`not a lease id: "${leaseId.slice(0, 20)}"`);
  return Number(leaseId);
}

/** Rejects when `promise` takes longer than `ms`: ioredis's own timeout does not cover a script still loading. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
