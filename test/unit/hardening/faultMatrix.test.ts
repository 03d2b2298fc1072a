// The fault matrix: each simulator fault alone, and several combined, under a load of 60 requests
// (three lanes, two models, three keys in two organizations, cancellations at three stages)
// through the scheduler, the real SDK transport and the simulator on one manual clock (why 60, and
// why a counted fault fires HITS times: faultScenario.ts).
// Every ending is checked against its attempt history (checkLoad); each scenario adds its counts,
// the faults that fired and the sentences the user would see.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { faultKinds } from '../../../sim/faultSpec';
import { keyStates } from './checkLoad';
import {
  a1,
  ACCOUNT_AND_COMBINED_SCENARIOS,
  atLeastOne,
  describeFaultMatrix,
  interruptedBy,
  HITS,
  interruptedMessage,
  isLarge,
  LARGE_IN_LOAD,
  largeCount,
  MATRIX_LOAD,
  type Scenario,
} from './faultScenario';

/** One fault at a time. */
const SINGLE_FAULT_SCENARIOS: readonly Scenario[] = [
  // HTTP errors before any output
  {
    name: `overloaded (529) ×${HITS} on a1`,
    faults: [{ kind: 'overloaded', times: HITS, ...a1 }],
    fired: { overloaded: HITS },
    outcome: 'all complete; each hit retried after backoff',
  },
  {
    name: `api_error (500) ×${HITS} on a1`,
    faults: [{ kind: 'api_error', times: HITS, ...a1 }],
    fired: { api_error: HITS },
    outcome: 'all complete; each hit retried after backoff',
  },
  {
    name: `timeout_error (504) ×${HITS} on a1`,
    faults: [{ kind: 'timeout_error', times: HITS, ...a1 }],
    fired: { timeout_error: HITS },
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
    name: 'key_revoked: a1 after 3 requests',
    faults: [{ kind: 'key_revoked', afterRequests: 3, ...a1 }],
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
    fired: (fired) => assert.equal(fired.request_too_large, LARGE_IN_LOAD),
    messages: {
      rejected: ['The server refused the request: Request exceeds the maximum allowed number of bytes.'],
    },
    outcome: `the ${LARGE_IN_LOAD} large requests fail \`rejected\` at once (one request each); the rest complete`,
    extra: (run) => {
      for (const r of run.requests.filter(isLarge)) assert.equal(run.attemptsOf(r).length, 1);
    },
  },
  {
    name: 'prompt_too_long (400) over 1,000 tokens',
    faults: [{ kind: 'prompt_too_long', maxTokens: 1_000 }],
    failures: (run) => ({ rejected: largeCount(run) }),
    fired: { prompt_too_long: LARGE_IN_LOAD },
    messages: {
      rejected: ['The server refused the request: prompt is too long: 3000 tokens > 1000 maximum'],
    },
    outcome: `the ${LARGE_IN_LOAD} large requests fail \`rejected\` (no retry); the rest complete`,
  },
  {
    name: `connection_reset ×${HITS} on a1`,
    faults: [{ kind: 'connection_reset', times: HITS, ...a1 }],
    fired: { connection_reset: HITS },
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
    name: `stream_error overloaded_error before output ×${HITS} on a1`,
    faults: [{ kind: 'stream_error', afterDeltas: 0, errorType: 'overloaded_error', times: HITS, ...a1 }],
    fired: { stream_error: HITS },
    outcome: 'all complete; retried (nothing was shown yet)',
  },
  {
    name: `stream_error overloaded_error after 3 deltas ×${HITS} on a1`,
    faults: [{ kind: 'stream_error', afterDeltas: 3, errorType: 'overloaded_error', times: HITS, ...a1 }],
    looseFailures: ['interrupted'],
    fired: { stream_error: HITS },
    messages: { interrupted: [interruptedMessage('overloaded')] },
    extra: interruptedBy(HITS, 'a1'),
    outcome: 'each hit fails `interrupted` with its 3 deltas kept, never re-sent; the rest complete',
  },
  {
    name: `stream_error rate_limit_error before output ×${HITS} on a1`,
    faults: [{ kind: 'stream_error', afterDeltas: 0, errorType: 'rate_limit_error', times: HITS, ...a1 }],
    fired: { stream_error: HITS },
    outcome: "all complete; A's pool cools until its reset, then retried",
  },
  {
    name: `stream_error rate_limit_error after 3 deltas ×${HITS} on a1`,
    faults: [{ kind: 'stream_error', afterDeltas: 3, errorType: 'rate_limit_error', times: HITS, ...a1 }],
    looseFailures: ['interrupted'],
    fired: { stream_error: HITS },
    messages: { interrupted: [interruptedMessage('rate limited')] },
    extra: interruptedBy(HITS, 'a1'),
    outcome: 'each hit fails `interrupted`, partial kept, never re-sent; the rest complete',
  },
  {
    name: `stream_close before output ×${HITS} on a1`,
    faults: [{ kind: 'stream_close', afterDeltas: 0, times: HITS, ...a1 }],
    fired: { stream_close: HITS },
    outcome: 'all complete; retried',
  },
  {
    name: `stream_close after 3 deltas ×${HITS} on a1`,
    faults: [{ kind: 'stream_close', afterDeltas: 3, times: HITS, ...a1 }],
    looseFailures: ['interrupted'],
    fired: { stream_close: HITS },
    messages: { interrupted: [interruptedMessage('connection')] },
    extra: interruptedBy(HITS, 'a1'),
    outcome: 'each hit fails `interrupted`, partial kept, never re-sent; the rest complete',
  },
  {
    name: `malformed_sse before output ×${HITS} on a1`,
    faults: [{ kind: 'malformed_sse', afterDeltas: 0, times: HITS, ...a1 }],
    fired: { malformed_sse: HITS },
    outcome: 'all complete; retried',
  },
  {
    name: `malformed_sse after 3 deltas ×${HITS} on a1`,
    faults: [{ kind: 'malformed_sse', afterDeltas: 3, times: HITS, ...a1 }],
    looseFailures: ['interrupted'],
    fired: { malformed_sse: HITS },
    messages: { interrupted: [interruptedMessage('malformed response')] },
    extra: interruptedBy(HITS, 'a1'),
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
    fired: (fired) => assert.ok((fired.missing_rate_limit_headers ?? 0) >= MATRIX_LOAD.count * 0.15),
    outcome: 'all complete; pacing carries on from what it learned',
    extra: (run) => assert.ok((run.rig.sim.stats().responsesByStatus['429'] ?? 0) <= 4),
  },
  {
    name: 'garbage_rate_limit_headers on 30% of answers',
    faults: [{ kind: 'garbage_rate_limit_headers', probability: 0.3 }],
    fired: (fired) => assert.ok((fired.garbage_rate_limit_headers ?? 0) >= MATRIX_LOAD.count * 0.15),
    outcome: 'all complete; garbage ignored, pacing carries on',
    extra: (run) => assert.ok((run.rig.sim.stats().responsesByStatus['429'] ?? 0) <= 4),
  },
  ...(['negative', 'huge', 'past_date'] as const).map((variant): Scenario => ({
    name: `absurd_retry_after ${variant} ×3 on a1`,
    faults: [{ kind: 'absurd_retry_after', variant, times: 3, ...a1 }],
    fired: { absurd_retry_after: 3 },
    outcome: 'all complete; the value is ignored, a bounded backoff cool-down is used',
    extra: (run) => {
      // Three 429s, each a cool-down of at most the 60 s backoff cap: the load still ends within minutes.
      assert.ok(run.makespanMs < 5 * 60_000, `makespan ${run.makespanMs} ms`);
    },
  })),
];

const SCENARIOS: readonly Scenario[] = [...SINGLE_FAULT_SCENARIOS, ...ACCOUNT_AND_COMBINED_SCENARIOS];

describeFaultMatrix(
  `fault matrix: ${MATRIX_LOAD.count} mixed requests through scheduler + SDK transport + simulator`,
  SINGLE_FAULT_SCENARIOS,
  () => {
    void it('covers at least 25 single faults and every kind of the simulator', () => {
      const single = SCENARIOS.filter((s) => !s.name.startsWith('combined'));
      assert.ok(single.length >= 25, `${single.length} single-fault scenarios`);
      const kinds = new Set(SCENARIOS.flatMap((s) => s.faults.map((f) => f.kind)));
      assert.deepEqual(
        faultKinds.filter((k) => !kinds.has(k)),
        [],
      );
    });
  },
);
