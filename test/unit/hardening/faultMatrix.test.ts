// The fault matrix: each simulator fault alone, and several combined, under a load of 200 requests
// (three lanes, two models, three keys in two organizations, cancellations at three stages)
// through the scheduler, the real SDK transport and the simulator on one manual clock.
// Every ending is checked against its attempt history (checkLoad); each scenario adds its counts,
// the faults that fired and the sentences the user would see.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { FailureKind } from '../../../src/pacer/scheduling/schedulerTypes';
import type { Fault } from '../../../sim/simulator';
import { faultKinds } from '../../../sim/faultSpec';
import { checkLoad, endingCounts, keyStates, userMessages, type CheckOptions } from './checkLoad';
import { A1, A2, B1, LARGE_INPUT_TOKENS, runLoad, type LoadOptions, type LoadRun } from './loadRun';

/** One row of the matrix. */
interface Scenario {
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

const SPEND_MESSAGE = 'Your API usage limit is reached. Access resumes Tue, 01 Dec 2026 00:00:00 GMT.';
const KEY_MESSAGES = [
  'The server rejected your API key (Invalid bearer token). Check or replace it.',
  'The server rejected your API key. Check or replace it.',
];
const a1 = { key: A1.secret };
const a2 = { key: A2.secret };
const b1 = { key: B1.secret };

const isLarge = (r: LoadRun['requests'][number]): boolean => r.inputTokens === LARGE_INPUT_TOKENS;
/** Large requests not cancelled: the ones a size fault must reject. */
const largeCount = (run: LoadRun): number =>
  run.requests.filter((r) => isLarge(r) && !r.isCancelCalled).length;
const atLeastOne = (kind: string) => (fired: Record<string, number>) =>
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
function interruptedBy(times: number, keyId: string) {
  return (run: LoadRun): void => {
    const interrupted = endingCounts(run).interrupted ?? 0;
    assert.ok(
      interrupted <= times && interrupted >= times - streamingCancelsOn(run, keyId),
      `${interrupted} interrupted for ${times} faults`,
    );
  };
}

function interruptedMessage(what: string): string {
  return `The answer was interrupted (${what} mid-stream); the partial answer is kept.`;
}

const SCENARIOS: readonly Scenario[] = [
  // HTTP errors before any output
  {
    name: 'overloaded (529) ×20 on a1',
    faults: [{ kind: 'overloaded', times: 20, ...a1 }],
    fired: { overloaded: 20 },
    outcome: 'all complete; each hit retried after backoff',
  },
  {
    name: 'api_error (500) ×20 on a1',
    faults: [{ kind: 'api_error', times: 20, ...a1 }],
    fired: { api_error: 20 },
    outcome: 'all complete; each hit retried after backoff',
  },
  {
    name: 'timeout_error (504) ×20 on a1',
    faults: [{ kind: 'timeout_error', times: 20, ...a1 }],
    fired: { timeout_error: 20 },
    outcome: 'all complete; each hit retried after backoff',
  },
  {
    name: 'spend_limit on a1 (always)',
    faults: [{ kind: 'spend_limit', regainOn: '2026-12-01', ...a1 }],
    fired: atLeastOne('spend_limit'),
    outcome: 'all complete on organization B; a1 and a2 (organization A) blocked until 2026-12-01',
    extra: (run) => {
      assert.deepEqual(keyStates(run), { a1: 'spend_limit', a2: 'spend_limit', b1: 'ok' });
      const afterBlock = run.rig.attempts.filter(
        (a) => a.sentAtMs > run.rig.attempts.find((x) => x.outcome?.kind === 'failure')!.sentAtMs,
      );
      assert.ok(
        afterBlock.every((a) => a.keyId === 'b1'),
        'after the block only b1 is used',
      );
    },
  },
  {
    name: 'ramp_limit ×3 on a1 (retry-after 7 s)',
    faults: [{ kind: 'ramp_limit', retryAfterSec: 7, times: 3, ...a1 }],
    fired: { ramp_limit: 3 },
    outcome: "all complete; organization A's pool cools 7 s, B keeps serving",
  },
  {
    name: 'key_revoked: a1 after 10 requests',
    faults: [{ kind: 'key_revoked', afterRequests: 10, ...a1 }],
    fired: atLeastOne('key_revoked'),
    outcome: 'all complete on a2 and b1; a1 quarantined',
    extra: (run) => {
      assert.deepEqual(keyStates(run), { a1: 'rejected', a2: 'ok', b1: 'ok' });
      const revokedAt = run.rig.attempts.findIndex(
        (a) => a.outcome?.kind === 'failure' && a.outcome.error.kind === 'auth',
      );
      const a2Later = run.rig.attempts.slice(revokedAt).filter((a) => a.keyId === 'a2').length;
      assert.ok(a2Later > 0, 'a2, the other key of the organization, keeps serving');
      assert.ok(
        run.rig.messages().filter((m) => m.status === 401).length <= 8,
        'at most one 401 per request in flight',
      );
    },
  },
  {
    name: 'permission_error (403) on a1 (always)',
    faults: [{ kind: 'permission_error', ...a1 }],
    fired: atLeastOne('permission_error'),
    outcome: 'all complete on a2 and b1; a1 quarantined',
    extra: (run) => assert.deepEqual(keyStates(run), { a1: 'rejected', a2: 'ok', b1: 'ok' }),
  },
  {
    name: 'request_too_large (413) on bodies over 10 kB',
    faults: [{ kind: 'request_too_large', overBytes: 10_000 }],
    failures: (run) => ({ rejected: largeCount(run) }),
    fired: (fired) => assert.equal(fired.request_too_large, 20),
    messages: {
      rejected: ['The server refused the request: Request exceeds the maximum allowed number of bytes.'],
    },
    outcome: 'the 20 large requests fail `rejected` at once (one request each); the rest complete',
    extra: (run) => {
      for (const r of run.requests.filter(isLarge)) assert.equal(run.attemptsOf(r).length, 1);
    },
  },
  {
    name: 'prompt_too_long (400) over 1,000 tokens',
    faults: [{ kind: 'prompt_too_long', maxTokens: 1_000 }],
    failures: (run) => ({ rejected: largeCount(run) }),
    fired: { prompt_too_long: 20 },
    messages: {
      rejected: ['The server refused the request: prompt is too long: 3000 tokens > 1000 maximum'],
    },
    outcome: 'the 20 large requests fail `rejected` (no retry); the rest complete',
  },
  {
    name: 'connection_reset ×20 on a1',
    faults: [{ kind: 'connection_reset', times: 20, ...a1 }],
    fired: { connection_reset: 20 },
    outcome: 'all complete; each reset retried after backoff',
  },
  {
    name: 'delay_headers ×2 on a1 past a 500 ms client timeout',
    faults: [{ kind: 'delay_headers', delayMs: 30_000, times: 2, ...a1 }],
    load: { timeoutMs: 500 },
    fired: { delay_headers: 2 },
    outcome: 'all complete; the timed-out attempts are retried and their late answers never used',
    extra: (run) => {
      const timeouts = run.rig.attempts.filter(
        (a) => a.outcome?.kind === 'failure' && a.outcome.error.kind === 'timeout',
      );
      assert.ok(timeouts.length >= 2);
      assert.equal(
        run.rig.messages().filter((m) => m.fault === 'delay_headers' && m.outcome === 'complete').length,
        0,
      );
    },
  },
  // Failures inside the stream
  {
    name: 'stream_error overloaded_error before output ×20 on a1',
    faults: [{ kind: 'stream_error', afterDeltas: 0, errorType: 'overloaded_error', times: 20, ...a1 }],
    fired: { stream_error: 20 },
    outcome: 'all complete; retried (nothing was shown yet)',
  },
  {
    name: 'stream_error overloaded_error after 3 deltas ×20 on a1',
    faults: [{ kind: 'stream_error', afterDeltas: 3, errorType: 'overloaded_error', times: 20, ...a1 }],
    looseFailures: ['interrupted'],
    fired: { stream_error: 20 },
    messages: { interrupted: [interruptedMessage('overloaded')] },
    extra: interruptedBy(20, 'a1'),
    outcome: 'each hit fails `interrupted` with its 3 deltas kept, never re-sent; the rest complete',
  },
  {
    name: 'stream_error rate_limit_error before output ×20 on a1',
    faults: [{ kind: 'stream_error', afterDeltas: 0, errorType: 'rate_limit_error', times: 20, ...a1 }],
    fired: { stream_error: 20 },
    outcome: "all complete; A's pool cools until its reset, then retried",
  },
  {
    name: 'stream_error rate_limit_error after 3 deltas ×20 on a1',
    faults: [{ kind: 'stream_error', afterDeltas: 3, errorType: 'rate_limit_error', times: 20, ...a1 }],
    looseFailures: ['interrupted'],
    fired: { stream_error: 20 },
    messages: { interrupted: [interruptedMessage('rate limited')] },
    extra: interruptedBy(20, 'a1'),
    outcome: 'each hit fails `interrupted`, partial kept, never re-sent; the rest complete',
  },
  {
    name: 'stream_close before output ×20 on a1',
    faults: [{ kind: 'stream_close', afterDeltas: 0, times: 20, ...a1 }],
    fired: { stream_close: 20 },
    outcome: 'all complete; retried',
  },
  {
    name: 'stream_close after 3 deltas ×20 on a1',
    faults: [{ kind: 'stream_close', afterDeltas: 3, times: 20, ...a1 }],
    looseFailures: ['interrupted'],
    fired: { stream_close: 20 },
    messages: { interrupted: [interruptedMessage('connection')] },
    extra: interruptedBy(20, 'a1'),
    outcome: 'each hit fails `interrupted`, partial kept, never re-sent; the rest complete',
  },
  {
    name: 'malformed_sse before output ×20 on a1',
    faults: [{ kind: 'malformed_sse', afterDeltas: 0, times: 20, ...a1 }],
    fired: { malformed_sse: 20 },
    outcome: 'all complete; retried',
  },
  {
    name: 'malformed_sse after 3 deltas ×20 on a1',
    faults: [{ kind: 'malformed_sse', afterDeltas: 3, times: 20, ...a1 }],
    looseFailures: ['interrupted'],
    fired: { malformed_sse: 20 },
    messages: { interrupted: [interruptedMessage('malformed response')] },
    extra: interruptedBy(20, 'a1'),
    outcome: 'each hit fails `interrupted`, partial kept, never re-sent; the rest complete',
  },
  {
    name: 'malformed_json (always; JSON replies only)',
    faults: [{ kind: 'malformed_json' }],
    fired: {},
    outcome: 'never fires on streamed requests: all complete',
  },
  // Headers
  {
    name: 'missing_rate_limit_headers on 30% of answers',
    faults: [{ kind: 'missing_rate_limit_headers', probability: 0.3 }],
    fired: (fired) => assert.ok((fired.missing_rate_limit_headers ?? 0) >= 30),
    outcome: 'all complete; pacing carries on from what it learned',
    extra: (run) => assert.ok((run.rig.sim.stats().responsesByStatus['429'] ?? 0) <= 4),
  },
  {
    name: 'garbage_rate_limit_headers on 30% of answers',
    faults: [{ kind: 'garbage_rate_limit_headers', probability: 0.3 }],
    fired: (fired) => assert.ok((fired.garbage_rate_limit_headers ?? 0) >= 30),
    outcome: 'all complete; garbage ignored, pacing carries on',
    extra: (run) => assert.ok((run.rig.sim.stats().responsesByStatus['429'] ?? 0) <= 4),
  },
  ...(['negative', 'huge', 'past_date'] as const).map((variant): Scenario => ({
    name: `absurd_retry_after ${variant} ×10 on a1`,
    faults: [{ kind: 'absurd_retry_after', variant, times: 10, ...a1 }],
    fired: { absurd_retry_after: 10 },
    outcome: 'all complete; the value is ignored, a bounded backoff cool-down is used',
    extra: (run) => {
      // Ten 429s, each a cool-down of at most the 60 s backoff cap: the load still ends within minutes.
      assert.ok(run.makespanMs < 5 * 60_000, `makespan ${run.makespanMs} ms`);
    },
  })),
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
    name: 'combined: 529 ×15 on a1 + stream_close after 2 deltas ×10 on a2 + garbage headers on 30% of a1',
    faults: [
      { kind: 'overloaded', times: 15, ...a1 },
      { kind: 'stream_close', afterDeltas: 2, times: 10, ...a2 },
      { kind: 'garbage_rate_limit_headers', probability: 0.3, ...a1 },
    ],
    looseFailures: ['interrupted'],
    fired: (fired) => {
      assert.equal(fired.overloaded, 15);
      assert.equal(fired.stream_close, 10);
    },
    messages: { interrupted: [interruptedMessage('connection')] },
    extra: interruptedBy(10, 'a2'),
    outcome: '10 `interrupted` (a2), the rest complete',
  },
  {
    name: 'combined: a1 revoked after 5 + ramp_limit ×3 on a2 + malformed_sse before output ×10 on b1',
    faults: [
      { kind: 'key_revoked', afterRequests: 5, ...a1 },
      { kind: 'ramp_limit', retryAfterSec: 7, times: 3, ...a2 },
      { kind: 'malformed_sse', afterDeltas: 0, times: 10, ...b1 },
    ],
    check: { isBUnaffected: false },
    fired: (fired) => {
      assert.equal(fired.ramp_limit, 3);
      assert.equal(fired.malformed_sse, 10);
    },
    outcome: 'all complete; a1 quarantined',
    extra: (run) => assert.equal(keyStates(run).a1, 'rejected'),
  },
  {
    name: 'combined: spend cap on organization A + 529 ×20 on b1',
    faults: [
      { kind: 'spend_limit', regainOn: '2026-12-01', ...a1 },
      { kind: 'spend_limit', regainOn: '2026-12-01', ...a2 },
      { kind: 'overloaded', times: 20, ...b1 },
    ],
    check: { isBUnaffected: false },
    fired: (fired) => assert.equal(fired.overloaded, 20),
    outcome: 'all complete on b1, the only organization left',
    extra: (run) => assert.deepEqual(keyStates(run), { a1: 'spend_limit', a2: 'spend_limit', b1: 'ok' }),
  },
  {
    name: 'combined chaos: 413 on large bodies + every transient and stream fault at 2% on every key',
    faults: [
      { kind: 'request_too_large', overBytes: 10_000 },
      ...(
        [
          'overloaded',
          'api_error',
          'timeout_error',
          'connection_reset',
          'garbage_rate_limit_headers',
        ] as const
      ).map((kind): Fault => ({ kind, probability: 0.02 })),
      { kind: 'ramp_limit', retryAfterSec: 3, probability: 0.02 },
      { kind: 'absurd_retry_after', variant: 'huge', probability: 0.02 },
      { kind: 'stream_error', afterDeltas: 2, errorType: 'overloaded_error', probability: 0.02 },
      { kind: 'stream_close', afterDeltas: 0, probability: 0.02 },
      { kind: 'malformed_sse', afterDeltas: 1, probability: 0.02 },
    ],
    check: { isBUnaffected: false },
    looseFailures: ['interrupted', 'retries_exhausted'],
    failures: (run) => ({ rejected: largeCount(run) }),
    fired: (fired) => assert.equal(fired.request_too_large, 20),
    outcome: '20 `rejected` (large), a few `interrupted`, the rest complete',
  },
];

const table: string[] = [];

void describe('fault matrix: 200 mixed requests through scheduler + SDK transport + simulator', () => {
  void it('covers at least 25 single faults and every kind of the simulator', () => {
    const single = SCENARIOS.filter((s) => !s.name.startsWith('combined'));
    assert.ok(single.length >= 25, `${single.length} single-fault scenarios`);
    const kinds = new Set(SCENARIOS.flatMap((s) => s.faults.map((f) => f.kind)));
    assert.deepEqual(
      faultKinds.filter((k) => !kinds.has(k)),
      [],
    );
  });

  for (const scenario of SCENARIOS) {
    void it(scenario.name, async () => {
      const run = await runLoad({ faults: scenario.faults, ...scenario.load });
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
          assert.deepEqual(messages[kind as FailureKind], [...expected].sort(), `user sentences for ${kind}`);
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
