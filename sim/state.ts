import type { SimClock } from './simClock';
import { KeyDirectory } from './auth';
import type { SimulatorConfig } from './config';
import { FaultBook } from './faults';
import { PromptCache } from './promptCache';
import { base62Id, mulberry32, seedFrom, type Prng } from './random';
import { RateLimiter } from './rateLimiter';
import { StatsRecorder } from './stats';

/** Everything the routes share: configuration, clock, buckets, cache, faults and counters. */
export interface SimState {
  readonly config: SimulatorConfig;
  readonly clock: SimClock;
  readonly keys: KeyDirectory;
  readonly limiter: RateLimiter;
  readonly cache: PromptCache;
  readonly faults: FaultBook;
  readonly stats: StatsRecorder;
  /** Keys revoked by a `key_revoked` fault: 401 from then on. */
  readonly revokedKeys: Set<string>;
  /** Requests to POST /v1/messages per key, for `key_revoked`. */
  readonly keyRequestCounts: Map<string, number>;
  readonly counters: { messagesRequests: number };
  /** Cancels pending clock timers of in-flight requests (run on close). */
  readonly inflight: Set<() => void>;
  /** A fresh `<prefix>_<24 base62>` id from the seeded generator. */
  newId(prefix: 'req' | 'msg' | 'toolu'): string;
}

/** Creates the shared state of one simulator instance. */
export function createState(config: SimulatorConfig, clock: SimClock): SimState {
  const ids: Prng = mulberry32(seedFrom(config.seed, 'ids'));
  return {
    config,
    clock,
    keys: new KeyDirectory(config),
    limiter: new RateLimiter(config),
    cache: new PromptCache(),
    faults: new FaultBook(config.faults, config.seed),
    stats: new StatsRecorder(),
    revokedKeys: new Set(),
    keyRequestCounts: new Map(),
    counters: { messagesRequests: 0 },
    inflight: new Set(),
    newId: (prefix) => `${prefix}_${base62Id(ids, 24)}`,
  };
}
