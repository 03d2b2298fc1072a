import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realSimClock, type SimClock } from './simClock';
import { readCredentials } from './auth';
import type { CompetitorShare, SimulatorConfig } from './config';
import { handleCountTokens } from './countTokensRoute';
import { Exchange } from './exchange';
import { parseFault, parseFaults, type Fault } from './faultSpec';
import { handleListModels } from './modelsRoute';
import { intake } from './intake';
import { handleMessages } from './messagesRoute';
import { modelClassById } from './modelClasses';
import { limiters, type LimitTarget, type Limiter } from './rateLimiter';
import { createState, type SimState } from './state';
import type { SimulatorStats, StreamsInProgress } from './stats';

export type { SimulatorConfig } from './config';
export type { Fault } from './faultSpec';
export type { SimulatorStats, RequestRecord, StreamsInProgress } from './stats';
export { parseSimulatorConfig } from './parseConfig';
export { demoConfig } from './demoConfig';

/** Options of startSimulator. */
export interface SimulatorOptions {
  readonly config: SimulatorConfig;
  /** Drives bucket refill, cache lifetimes and streaming pace. @default the system clock */
  readonly clock?: SimClock;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
}

/** Bucket levels (unrounded; output may be negative) of one scope and model class; `tokens` for a workspace total-token limit. */
export type BucketLevels = Readonly<Record<Limiter, number>> & { readonly tokens?: number };

/** A simulator listening on 127.0.0.1, with its control API. */
export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:54321` */
  readonly url: string;
  readonly port: number;
  /** Closes the server and every socket; resolves when all are closed. Safe to call twice. */
  close(): Promise<void>;
  /** A snapshot of the counters and per-request records. */
  stats(): SimulatorStats;
  /** Messages answers streaming now and their output tokens so far; cheap (no copy), for a test that polls it each turn. */
  streamsInProgress(): StreamsInProgress;
  /** Replaces all faults (validated like the config's `faults`; throws ConfigError). */
  setFaults(faults: readonly Fault[]): void;
  /** Appends one fault (validated). */
  addFault(fault: Fault): void;
  /** Empties an organization's Messages buckets for one model class, or for every class: sudden quota loss. */
  drainBuckets(orgId: string, modelClass?: string): void;
  /** Current levels of an organization's or workspace's buckets for a model class (created full if new). */
  bucketLevels(scopeId: string, modelClass: string): BucketLevels;
  /** Sets the hidden competitor's share of an organization's refill for a model class. */
  setCompetitor(orgId: string, modelClass: string, share: Partial<CompetitorShare>): void;
}

function route(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> | void {
  res.sendDate = false;
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const ex = new Exchange(state, req, res, state.stats.begin(path, state.clock.now()));
  if (req.method === 'POST' && path === '/v1/messages') {
    const requestNumber = ++state.counters.messagesRequests;
    return intake(state, ex).then(
      (accepted) => accepted && handleMessages(state, ex, accepted, requestNumber),
    );
  }
  if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
    return intake(state, ex).then((accepted) => accepted && handleCountTokens(state, ex, accepted));
  }
  if (req.method === 'GET' && path === '/v1/models') {
    return intake(state, ex, false).then((accepted) => accepted && handleListModels(ex));
  }
  req.resume();
  const principal = state.keys.lookup(readCredentials(req.headers)?.key ?? '');
  if (principal && !state.revokedKeys.has(principal.key)) ex.setPrincipal(principal);
  ex.sendError(404, { type: 'not_found_error', message: 'The requested resource could not be found.' });
}

function unknownScope(scopeId: string): Error {
  return new Error(`unknown organization or workspace id: ${scopeId}`);
}

/** Starts an Anthropic-compatible simulator on 127.0.0.1. */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const state = createState(options.config, options.clock ?? realSimClock);
  const server = createServer((req, res) => {
    void Promise.resolve(route(state, req, res)).catch((error: unknown) => {
      // A bug, not a simulated fault: answer 500 once and say so without echoing the request.
      console.error(`simulator: internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const { keys, limiter, clock } = state;

  const target = (scopeId: string, modelClass: string): LimitTarget => {
    const cls = modelClassById(state.config, modelClass);
    const org = keys.organization(scopeId);
    if (org) return { org, cls };
    const found = keys.workspace(scopeId);
    if (found) return { ...found, cls };
    throw unknownScope(scopeId);
  };

  let closing: Promise<void> | undefined;
  const closeServer = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      for (const cancel of [...state.inflight]) cancel();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => (closing ??= closeServer()),
    stats: () => state.stats.snapshot(),
    streamsInProgress: () => state.stats.streamsInProgress(),
    setFaults: (faults) => state.faults.replace(parseFaults(faults, 'faults')),
    addFault: (fault) => state.faults.add(parseFault(fault, 'fault')),
    drainBuckets: (orgId, modelClass) => {
      if (!keys.organization(orgId)) throw unknownScope(orgId);
      const classIds =
        modelClass !== undefined
          ? [modelClass]
          : [...state.config.modelClasses.map((c) => c.id), ...limiter.classesInUse(orgId)];
      for (const id of new Set(classIds)) limiter.drain(target(orgId, id), clock.now());
    },
    bucketLevels: (scopeId, modelClass) => {
      const t = target(scopeId, modelClass);
      const nowMs = clock.now();
      const level = (l: Limiter): number => {
        const all = limiter.buckets(t, l, nowMs);
        const own = all.find((b) => b.scopeId === scopeId) ?? all[all.length - 1]!;
        return own.bucket.levelAt(nowMs);
      };
      const levels = Object.fromEntries(limiters.map((l) => [l, level(l)])) as Record<Limiter, number>;
      const tokens = limiter.reportedTokens(t, nowMs);
      return tokens ? { ...levels, tokens: tokens.levelAt(nowMs) } : levels;
    },
    setCompetitor: (orgId, modelClass, share) => {
      if (!keys.organization(orgId)) throw unknownScope(orgId);
      for (const [name, value] of Object.entries(share)) {
        if (!(value >= 0 && value < 1))
          throw new RangeError(`competitor share ${name} must be ≥ 0 and < 1, got ${value}`);
      }
      limiter.setCompetitor(orgId, modelClass, { requests: 0, input: 0, output: 0, ...share }, clock.now());
    },
  };
}
