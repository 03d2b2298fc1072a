// The fault matrix's rows and the runner every matrix file shares (faultMatrix.test.ts: one fault
// at a time; faultMatrixCombined.test.ts: faults on every key and combinations), split so the two
// halves run as separate test files, at once.
//
// Why 60 requests a load (it was 200): the matrix is CPU-bound, each request a real HTTP exchange
// through the SDK and the simulator, and 34 loads of 200 were a third of the unit tier's time. 60
// keeps every stage of a load: 30 at once and 30 more in waves, each pool queueing (its rate scaled
// with the load, 9 a minute: a burst of 9, then one per 6.7 s, as 200 queued at 30 a minute), 6
// large bodies, cancels at each of the three stages (one in 40). A counted fault fires on one
// request in ten, as 20 of 200 did (HITS); every cell of fault × outcome is still reached, and
// the exact counts below scale with the load instead of being loosened.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { FailureKind } from '../../../src/pacer/scheduling/schedulerTypes';
import type { Fault } from '../../../sim/simulator';
import { checkLoad, endingCounts, keyStates, userMessages, type CheckOptions } from './checkLoad';
import { A1, A2, B1, LARGE_INPUT_TOKENS, runLoad, type LoadOptions, type LoadRun } from './loadRun';

/** One row of the matrix. */
export interface Scenario {
  readonly name: string;
  readonly faults: readonly Fault[];
  readonly load?: Partial<LoadOptions>;
  readonly check?: CheckOptions;
  /** Exact number of each failure kind; every other request not cancelled must complete. */
  readonly failures?: (run: LoadRun) => Partial<Record<FailureKind, number>>;
  /** Failure kinds whose count is checked by `extra` instead (bounded, not exact). */
  readonly looseFailures?: readonly FailureKind[];
  /** `faultsFired` exactly, or a check of it. */
  readonly fired: Record<string, number> | ((fired: Record<string, number>) => void);
  /** Every distinct sentence the user sees, by failure kind. */
  readonly messages?: Partial<Record<FailureKind, readonly string[]>>;
  readonly extra?: (run: LoadRun) => void;
  /** The expected ending in words, for docs/reliability.md. */
  readonly outcome: string;
}

/** Requests of each scenario's load, and the request rate of each pool scaled with it (see the header). */
export const MATRIX_LOAD = { count: 60, requestsPerMinute: 9 } as const;
/** How many times a counted fault fires in a load: one request in ten. */
export const HITS = 6;
/** Large requests in a load (every 10th; none of them is cancelled). */
export const LARGE_IN_LOAD = MATRIX_LOAD.count / 10;

/** What a spend-capped request tells the user. */
export const SPEND_MESSAGE = 'Your API usage limit is reached. Access resumes Tue, 01 Dec 2026 00:00:00 GMT.';
/** What a request whose key the server rejected tells the user. */
export const KEY_MESSAGES = [
  'The server rejected your API key (Invalid bearer token). Check or replace it.',
  'The server rejected your API key. Check or replace it.',
];
/** A fault scoped to key a1, a2 or b1. */
export const a1 = { key: A1.secret };
export const a2 = { key: A2.secret };
export const b1 = { key: B1.secret };

/** A request with the large body. */
export const isLarge = (r: LoadRun['requests'][number]): boolean => r.inputTokens === LARGE_INPUT_TOKENS;
/** Large requests not cancelled: the ones a size fault must reject. */
export const largeCount = (run: LoadRun): number =>
  run.requests.filter((r) => isLarge(r) && !r.isCancelCalled).length;
/** A `fired` check: `kind` fired at least once. */
export const atLeastOne = (kind: string) => (fired: Record<string, number>) =>
  assert.ok((fired[kind] ?? 0) >= 1, `${kind} fired ${fired[kind] ?? 0} times`);

/** Requests cancelled at their first delta whose attempt went out on `keyId`: a mid-stream fault may have hit those instead. */
function streamingCancelsOn(run: LoadRun, keyId: string): number {
  return run.requests.filter(
    (r) =>
      r.cancelledWhile === 'in_flight' &&
      r.cancelAt === 'streaming' &&
      run.attemptsOf(r).at(-1)?.keyId === keyId,
  ).length;
}

/** A mid-stream fault after output fired `times` on `keyId`: that many interrupted, less hits on cancelled requests. */
export function interruptedBy(times: number, keyId: string) {
  return (run: LoadRun): void => {
    const interrupted = endingCounts(run).interrupted ?? 0;
    assert.ok(
      interrupted <= times && interrupted >= times - streamingCancelsOn(run, keyId),
      `${interrupted} interrupted for ${times} faults`,
    );
  };
}

/** The sentence of an answer interrupted by `what`. */
export function interruptedMessage(what: string): string {
  return `The answer was interrupted (${what} mid-stream); the partial answer is kept.`;
}

/** Faults on every key, and several faults at once. */
export const ACCOUNT_AND_COMBINED_SCENARIOS: readonly Scenario[] = [
  // Whole-account failures (organization B is hit too: no stall check)
  {
    name: 'key_revoked on every key',
    faults: [
      { kind: 'key_revoked', afterRequests: 0, ...a1 },
      { kind: 'key_revoked', afterRequests: 0, ...a2 },
      { kind: 'key_revoked', afterRequests: 0, ...b1 },
    ],
    check: { isBUnaffected: false, noPlanEndings: ['key_rejected'] },
    failures: (run) => ({ key_rejected: run.requests.filter((r) => !r.isCancelCalled).length }),
    fired: (fired) => assert.ok((fired.key_revoked ?? 0) <= 3 * 8),
    messages: { key_rejected: KEY_MESSAGES },
    outcome: 'every request fails `key_rejected`; each key is tried at most once per request in flight',
  },
  {
    name: 'spend_limit on every key',
    faults: [{ kind: 'spend_limit', regainOn: '2026-12-01' }],
    check: { isBUnaffected: false, noPlanEndings: ['spend_limit'] },
    failures: (run) => ({ spend_limit: run.requests.filter((r) => !r.isCancelCalled).length }),
    fired: (fired) => assert.ok((fired.spend_limit ?? 0) <= 2 * 8),
    messages: { spend_limit: [SPEND_MESSAGE] },
    outcome: 'every request fails `spend_limit` naming the date; no retries',
  },
  {
    name: 'overloaded (529) on every request',
    faults: [{ kind: 'overloaded' }],
    check: { isBUnaffected: false },
    failures: (run) => ({ retries_exhausted: run.requests.filter((r) => !r.isCancelCalled).length }),
    fired: atLeastOne('overloaded'),
    messages: { retries_exhausted: ['Gave up after 5 attempts: 529 overloaded (Overloaded).'] },
    outcome: 'every request fails `retries_exhausted` after exactly 5 attempts',
  },
  // Combined
  {
    name: 'combined: 529 ×5 on a1 + stream_close after 2 deltas ×3 on a2 + garbage headers on 30% of a1',
    faults: [
      { kind: 'overloaded', times: 5, ...a1 },
      { kind: 'stream_close', afterDeltas: 2, times: 3, ...a2 },
      { kind: 'garbage_rate_limit_headers', probability: 0.3, ...a1 },
    ],
    looseFailures: ['interrupted'],
    fired: (fired) => {
      assert.equal(fired.overloaded, 5);
      assert.equal(fired.stream_close, 3);
    },
    messages: { interrupted: [interruptedMessage('connection')] },
    extra: interruptedBy(3, 'a2'),
    outcome: '3 `interrupted` (a2), the rest complete',
  },
  {
    name: 'combined: a1 revoked after 2 + ramp_limit ×3 on a2 + malformed_sse before output ×3 on b1',
    faults: [
      { kind: 'key_revoked', afterRequests: 2, ...a1 },
      { kind: 'ramp_limit', retryAfterSec: 7, times: 3, ...a2 },
      { kind: 'malformed_sse', afterDeltas: 0, times: 3, ...b1 },
    ],
    check: { isBUnaffected: false },
    fired: (fired) => {
      assert.equal(fired.ramp_limit, 3);
      assert.equal(fired.malformed_sse, 3);
    },
    outcome: 'all complete; a1 quarantined',
    extra: (run) => assert.equal(keyStates(run).a1, 'rejected'),
  },
  {
    name: `combined: spend cap on organization A + 529 ×${HITS} on b1`,
    faults: [
      { kind: 'spend_limit', regainOn: '2026-12-01', ...a1 },
      { kind: 'spend_limit', regainOn: '2026-12-01', ...a2 },
      { kind: 'overloaded', times: HITS, ...b1 },
    ],
    check: { isBUnaffected: false },
    fired: (fired) => assert.equal(fired.overloaded, HITS),
    outcome: 'all complete on b1, the only organization left',
    extra: (run) => assert.deepEqual(keyStates(run), { a1: 'spend_limit', a2: 'spend_limit', b1: 'ok' }),
  },
  {
    name: 'combined chaos: 413 on large bodies + every transient and stream fault at 6% on every key',
    faults: [
      { kind: 'request_too_large', overBytes: 10_000 },
      // 6% of a 60-request load: about as many hits of each as 2% of 200 were.
      ...(
        [
          'overloaded',
          'api_error',
          'timeout_error',
          'connection_reset',
          'garbage_rate_limit_headers',
        ] as const
      ).map((kind): Fault => ({ kind, probability: 0.06 })),
      { kind: 'ramp_limit', retryAfterSec: 3, probability: 0.06 },
      { kind: 'absurd_retry_after', variant: 'huge', probability: 0.06 },
      { kind: 'stream_error', afterDeltas: 2, errorType: 'overloaded_error', probability: 0.06 },
      { kind: 'stream_close', afterDeltas: 0, probability: 0.06 },
      { kind: 'malformed_sse', afterDeltas: 1, probability: 0.06 },
    ],
    check: { isBUnaffected: false },
    looseFailures: ['interrupted', 'retries_exhausted'],
    failures: (run) => ({ rejected: largeCount(run) }),
    fired: (fired) => assert.equal(fired.request_too_large, LARGE_IN_LOAD),
    outcome: `${LARGE_IN_LOAD} \`rejected\` (large), a few \`interrupted\`, the rest complete`,
  },
];

/** One `it` per scenario under `title`: the load runs and every ending is checked; `HARDENING_TABLE=1` prints the rows. */
export function describeFaultMatrix(title: string, scenarios: readonly Scenario[], extra?: () => void): void {
  const table: string[] = [];
  void describe(title, () => {
    extra?.();
    for (const scenario of scenarios) {
      void it(scenario.name, async () => {
        const run = await runLoad({ ...MATRIX_LOAD, faults: scenario.faults, ...scenario.load });
        try {
          assert.deepEqual(checkLoad(run, scenario.check), []);
          const counts = endingCounts(run);
          const cancelled = run.requests.filter((r) => r.isCancelCalled).length;
          assert.equal(counts.cancelled ?? 0, cancelled);
          const failures = scenario.failures?.(run) ?? {};
          const loose = new Set(scenario.looseFailures ?? []);
          const looseTotal = [...loose].reduce((sum, kind) => sum + (counts[kind] ?? 0), 0);
          const exact = Object.fromEntries(
            Object.entries(counts).filter(
              ([k]) => k !== 'completed' && k !== 'cancelled' && !loose.has(k as FailureKind),
            ),
          );
          assert.deepEqual(exact, Object.fromEntries(Object.entries(failures).filter(([, n]) => n !== 0)));
          const failed = Object.values(failures).reduce((sum, n) => sum + n, 0);
          assert.equal(counts.completed ?? 0, run.requests.length - cancelled - failed - looseTotal);
          const fired = run.rig.sim.stats().faultsFired;
          if (typeof scenario.fired === 'function') scenario.fired(fired);
          else assert.deepEqual(fired, scenario.fired);
          const messages = userMessages(run);
          for (const [kind, expected] of Object.entries(scenario.messages ?? {}))
            assert.deepEqual(
              messages[kind as FailureKind],
              [...expected].sort(),
              `user sentences for ${kind}`,
            );
          scenario.extra?.(run);
          const summary = Object.entries(counts)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ');
          table.push(
            `| ${scenario.name} | ${scenario.outcome} | ${summary}; ${run.rig.attempts.length} HTTP requests; ${Math.round(run.makespanMs / 1000)} s |`,
          );
        } finally {
          await run.rig.close();
        }
      });
    }

    after(() => {
      if (process.env['HARDENING_TABLE'])
        console.log(['| Fault | Expected ending | Observed |', '|---|---|---|', ...table].join('\n'));
    });
  });
}
