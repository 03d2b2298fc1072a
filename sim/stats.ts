import type { FaultAction } from './faultSpec';
import type { AnyLimiter } from './rateLimiter';

/** How a request ended. `pending` until its response is finished. */
export type RequestOutcome =
  'pending' | 'complete' | 'stream_error' | 'stream_closed' | 'client_closed' | 'connection_reset';

/** One request as the simulator saw it. Tokens are those reported in usage (and debited). */
export interface RequestRecord {
  /** Simulator clock time of arrival, ms since the epoch. */
  atMs: number;
  route: string;
  /** The configured key used; absent for missing or unknown keys (which are never stored). */
  key?: string;
  orgId?: string;
  model?: string;
  modelClass?: string;
  isStream: boolean;
  /** HTTP status sent; 0 if the connection was reset before headers. */
  status: number;
  fault?: FaultAction['kind'];
  /** The limiter that refused the request with a 429. */
  limiter?: AnyLimiter | 'count_tokens';
  inputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  outputTokens: number;
  outcome: RequestOutcome;
}

/** Net amounts debited from an organization's buckets of one class (legacy reservations minus refunds). */
export interface DebitTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

/** Counters for assertions and benchmarks; a snapshot, safe to keep. */
export interface SimulatorStats {
  /** By route: `/v1/messages`, `/v1/messages/count_tokens` or `other` (`GET /v1/models` included). */
  requestsByRoute: Record<string, number>;
  /** By HTTP status as a string (`"0"` for connection resets). */
  responsesByStatus: Record<string, number>;
  /** 429s from the rate limiters (faults not included). */
  rateLimitedByLimiter: Record<AnyLimiter | 'count_tokens', number>;
  /** By configured key (`unknown` for others). */
  requestsByKey: Record<string, number>;
  /** Rate-limiter 429s by configured key (`unknown` for others). */
  rateLimitedByKey: Record<string, number>;
  faultsFired: Record<string, number>;
  /** organization id → model class id → totals. */
  tokensDebited: Record<string, Record<string, DebitTotals>>;
  records: RequestRecord[];
}

function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/** Streams the simulator has started and not finished (see {@link StatsRecorder.streamsInProgress}). */
export interface StreamsInProgress {
  readonly count: number;
  readonly outputTokens: number;
}

/** Collects the counters behind `RunningSimulator.stats()`. */
export class StatsRecorder {
  readonly #stats: SimulatorStats = {
    requestsByRoute: {},
    responsesByStatus: {},
    rateLimitedByLimiter: { requests: 0, input: 0, output: 0, tokens: 0, count_tokens: 0 },
    requestsByKey: {},
    rateLimitedByKey: {},
    faultsFired: {},
    tokensDebited: {},
    records: [],
  };

  /** Starts the record of a request arriving at `atMs`. */
  begin(route: string, atMs: number): RequestRecord {
    const known = route === '/v1/messages' || route === '/v1/messages/count_tokens';
    bump(this.#stats.requestsByRoute, known ? route : 'other');
    const record: RequestRecord = {
      atMs,
      route,
      isStream: false,
      status: 0,
      inputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
      outputTokens: 0,
      outcome: 'pending',
    };
    this.#stats.records.push(record);
    return record;
  }

  /** Counts a request under its key (`undefined` for a missing or unknown key). */
  key(record: RequestRecord, key: string | undefined): void {
    if (key !== undefined) record.key = key;
    bump(this.#stats.requestsByKey, key ?? 'unknown');
  }

  /** Notes the status sent for `record`. */
  status(record: RequestRecord, status: number): void {
    record.status = status;
    bump(this.#stats.responsesByStatus, String(status));
  }

  /** Notes a rate-limiter 429. */
  rateLimited(record: RequestRecord, limiter: AnyLimiter | 'count_tokens'): void {
    record.limiter = limiter;
    this.#stats.rateLimitedByLimiter[limiter]++;
    bump(this.#stats.rateLimitedByKey, record.key ?? 'unknown');
  }

  /** Notes a fault fired on `record`. */
  fault(record: RequestRecord, kind: FaultAction['kind']): void {
    record.fault = kind;
    bump(this.#stats.faultsFired, kind);
  }

  /** Adds `amount` (negative for refunds) to an organization's debit totals. */
  debit(orgId: string, classId: string, dimension: keyof DebitTotals, amount: number): void {
    const byClass = (this.#stats.tokensDebited[orgId] ??= {});
    const totals = (byClass[classId] ??= { requests: 0, inputTokens: 0, outputTokens: 0 });
    totals[dimension] += amount;
  }

  /** Messages answers sent with 200 and still streaming, and the output tokens they generated so far (no copy). */
  streamsInProgress(): StreamsInProgress {
    let count = 0;
    let outputTokens = 0;
    for (const record of this.#stats.records) {
      if (record.route !== '/v1/messages' || record.outcome !== 'pending' || record.status !== 200) continue;
      count++;
      outputTokens += record.outputTokens;
    }
    return { count, outputTokens };
  }

  /** A deep copy of the counters. */
  snapshot(): SimulatorStats {
    return structuredClone(this.#stats);
  }
}
