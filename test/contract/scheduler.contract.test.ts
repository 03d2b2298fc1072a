// The scheduler's reaction to every simulator fault and to real rate limiting: Scheduler + the real
// SDK transport + the simulator, all on one manual clock, so every wait is exact and nothing sleeps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SchedulerOptions } from '../../src/pacer/scheduling/schedulerOptions';
import type { KeySnapshot, PoolSnapshot } from '../../src/pacer/scheduling/schedulerSnapshot';
import type { FailureKind, RequestResult } from '../../src/pacer/scheduling/schedulerTypes';
import type { AttemptError } from '../../src/pacer/transport';
import { faultKinds } from '../../sim/faultSpec';
import type { Fault } from '../../sim/simulator';
import { FAULT_CASES, REVOKED_KEY, type FaultCase } from './transportFaultCases';
import {
  expectedUsage,
  MODEL,
  org,
  REPLY_TOKENS,
  simConfig,
  startRig,
  T0,
  type Rig,
  type RigKey,
  type RigOptions,
} from './schedulerRig';
import { waitUntil } from '../support/waitUntil';

const ORG_A = '7a3b9c1d-0001-4000-8000-00000000a001';
const ORG_B = '7a3b9c1d-0002-4000-8000-00000000b002';
const A1: RigKey = { id: 'a1', secret: 'sk-ant-sim-sched-a1' };
const A2: RigKey = { id: 'a2', secret: 'sk-ant-sim-sched-a2' };
const B1: RigKey = { id: 'b1', secret: 'sk-ant-sim-sched-b1' };
/** Generous token limits, so only the request count paces: 1 request per second refills. */
const ROOMY = { requestsPerMinute: 60, inputTokensPerMinute: 6_000_000, outputTokensPerMinute: 6_000_000 };
/** Tight limits for pacing runs: one request per 5 s, a 12-request burst. */
const TIGHT = { requestsPerMinute: 12, inputTokensPerMinute: 6_000, outputTokensPerMinute: 2_000 };
/** 3 attempts for transient failures; with random 0.5 the retries wait 500 ms, then 1,000 ms. */
const BACKOFF: SchedulerOptions['backoff'] = { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 3 };
const MINUTE = 60_000;

/** Runs `body` on a fresh rig and always tears it down. */
async function withRig(options: RigOptions, body: (rig: Rig) => Promise<void>): Promise<void> {
  const rig = await startRig(options);
  try {
    await body(rig);
  } finally {
    await rig.close();
  }
}

/** A rig whose organization A (keys A1, A2; the scheduler holds `keys`) has ROOMY limits and `faults`. */
function faultRig(
  faults: readonly Fault[],
  extra: {
    keys?: readonly RigKey[];
    scheduler?: Partial<SchedulerOptions>;
    sim?: Record<string, unknown>;
  } = {},
): RigOptions {
  return {
    config: simConfig([org(ORG_A, [A1.secret, A2.secret], ROOMY), org(ORG_B, [B1.secret], ROOMY)], {
      faults,
      ...extra.sim,
    }),
    keys: extra.keys ?? [A1],
    scheduler: { backoff: BACKOFF, ...extra.scheduler },
  };
}

/** When each POST /v1/messages reached the simulator, ms after T0. */
function sentAt(rig: Rig): number[] {
  return rig.messages().map((r) => r.atMs - T0);
}

function completed(result: RequestResult | undefined): Extract<RequestResult, { status: 'completed' }> {
  assert.ok(result?.status === 'completed', `expected completed, got ${JSON.stringify(result)}`);
  return result;
}

function failed(result: RequestResult | undefined): Extract<RequestResult, { status: 'failed' }> {
  assert.ok(result?.status === 'failed', `expected failed, got ${JSON.stringify(result)}`);
  return result;
}

/** The classified error of the `n`-th attempt (0-based). */
function attemptError(rig: Rig, n: number): AttemptError {
  const outcome = rig.attempts[n]?.outcome;
  assert.ok(outcome?.kind === 'failure', `attempt ${n} did not fail: ${JSON.stringify(outcome)}`);
  return outcome.error;
}

function onlyPool(rig: Rig): PoolSnapshot {
  const pools = rig.scheduler.snapshot().pools;
  assert.equal(pools.length, 1, `one pool expected, got ${pools.map((p) => p.id).join(', ')}`);
  return pools[0]!;
}

function keyState(rig: Rig, id: string): KeySnapshot {
  const key = rig.scheduler.snapshot().keys.find((k) => k.id === id);
  assert.ok(key, `no key ${id}`);
  return key;
}

function count429(rig: Rig): number {
  return rig.sim.stats().responsesByStatus['429'] ?? 0;
}

/** Faults this file exercises outside FAULT_CASES (they do not fail a streamed request, or need a short timeout). */
const COVERED_ELSEWHERE = [
  'delay_headers',
  'malformed_json',
  'missing_rate_limit_headers',
  'garbage_rate_limit_headers',
  'absurd_retry_after',
] as const;

/**
 * How the scheduler ends a request whose first attempt hits `testCase.fault` once (a retry, if any,
 * succeeds): when each HTTP request went out, and the final status or failure kind.
 */
function reactionTo(testCase: FaultCase): { sentAt: number[]; outcome: 'completed' | FailureKind } {
  if (testCase.midStream) return { sentAt: [0], outcome: 'interrupted' };
  switch (testCase.kind) {
    case 'spend_limit':
      return { sentAt: [0], outcome: 'spend_limit' };
    case 'auth':
    case 'permission':
      return { sentAt: [0], outcome: 'key_rejected' };
    case 'too_large':
    case 'invalid_request':
      return { sentAt: [0], outcome: 'rejected' };
    case 'ramp_limited':
      return { sentAt: [0, Number(testCase.retryAfter) * 1000], outcome: 'completed' };
    default:
      // 529, 5xx, connection, and 429s with an unusable retry-after: the 500 ms backoff.
      return { sentAt: [0, 500], outcome: 'completed' };
  }
}

void describe('scheduler contract: every transport fault case through the scheduler', () => {
  void it('every simulator fault kind has a case here', () => {
    const covered = new Set<string>([...FAULT_CASES.map((c) => c.fault.kind), ...COVERED_ELSEWHERE]);
    assert.deepEqual(
      faultKinds.filter((kind) => !covered.has(kind)),
      [],
    );
  });

  for (const testCase of FAULT_CASES) {
    const fault = testCase.fault;
    const label = `${fault.kind}${'errorType' in fault ? ` ${fault.errorType}` : ''}${'variant' in fault ? ` ${fault.variant}` : ''}`;
    const reaction = reactionTo(testCase);
    void it(`${label}: classified ${testCase.kind}, then ${reaction.outcome} (requests at ${reaction.sentAt.join(', ')} ms)`, async () => {
      const revoked: RigKey = { id: 'revoked', secret: REVOKED_KEY };
      const options: RigOptions = {
        config: simConfig([org(ORG_A, [A1.secret, REVOKED_KEY], ROOMY)], {
          faults: [{ ...fault, times: 1 }],
        }),
        keys: [testCase.keyId === 'revoked' ? revoked : A1],
        scheduler: { backoff: BACKOFF },
      };
      await withRig(options, async (rig) => {
        const [result] = await rig.finish([rig.submit()]);

        const error = attemptError(rig, 0);
        assert.deepEqual(
          [error.kind, error.status, error.type, error.errorCode, error.midStream],
          [testCase.kind, testCase.status, testCase.type, testCase.errorCode, testCase.midStream],
        );
        assert.deepEqual(sentAt(rig), reaction.sentAt);
        if (reaction.outcome === 'completed') assert.equal(completed(result).attempts, 2);
        else assert.equal(failed(result).reason.kind, reaction.outcome);
      });
    });
  }
});

void describe('scheduler contract: HTTP error faults', () => {
  void it('529 overloaded: retried once after the 500 ms backoff, then completes', async () => {
    await withRig(faultRig([{ kind: 'overloaded', times: 1 }]), async (rig) => {
      const request = rig.submit();
      const [result] = await rig.finish([request]);

      assert.deepEqual(sentAt(rig), [0, 500]);
      assert.equal(attemptError(rig, 0).kind, 'overloaded');
      assert.equal(attemptError(rig, 0).status, 529);
      const done = completed(result);
      assert.equal(done.attempts, 2);
      assert.deepEqual(done.usage, expectedUsage(100));
      assert.equal(done.text, request.texts.join(''));
      assert.equal(done.text.length, REPLY_TOKENS * 4);
      assert.equal(onlyPool(rig).state, 'ok');
    });
  });

  void it('529 every time: full-jitter backoff at 0, 500, 1,500 ms, then fails with retries_exhausted', async () => {
    await withRig(faultRig([{ kind: 'overloaded' }]), async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(sentAt(rig), [0, 500, 1_500]);
      const { reason, attempts, partialText } = failed(result);
      assert.equal(reason.kind, 'retries_exhausted');
      assert.equal(reason.message, 'Gave up after 3 attempts: 529 overloaded (Overloaded).');
      assert.equal(reason.lastError?.kind, 'overloaded');
      assert.equal(attempts, 3);
      assert.equal(partialText, '');
    });
  });

  void it('529 repeatedly with a fallback model: after 2 overloads the third attempt goes to the fallback', async () => {
    const options = faultRig([{ kind: 'overloaded', times: 2 }], {
      scheduler: { fallbackModel: 'claude-haiku-4-5', fallbackAfterOverloads: 2 },
    });
    await withRig(options, async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(
        rig.messages().map((r) => [r.atMs - T0, r.model, r.status]),
        [
          [0, MODEL, 529],
          [500, MODEL, 529],
          [1_500, 'claude-haiku-4-5', 200],
        ],
      );
      const done = completed(result);
      assert.equal(done.model, 'claude-haiku-4-5');
      assert.equal(done.usedFallback, true);
      assert.equal(done.attempts, 3);
    });
  });

  void it('529 with x-should-retry: false is not retried: fails as rejected after one request', async () => {
    const options = faultRig([{ kind: 'overloaded', times: 1 }], {
      sim: { overloaded: { shouldRetry: false, retryAfterSec: null } },
    });
    await withRig(options, async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(sentAt(rig), [0]);
      const { reason } = failed(result);
      assert.equal(reason.kind, 'rejected');
      assert.equal(reason.message, 'The server refused the request: Overloaded');
    });
  });

  void it('connection reset before the headers: retried after 500 ms, completes', async () => {
    await withRig(faultRig([{ kind: 'connection_reset', times: 1 }]), async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(sentAt(rig), [0, 500]);
      assert.deepEqual(
        rig.messages().map((r) => r.outcome),
        ['connection_reset', 'complete'],
      );
      assert.equal(attemptError(rig, 0).kind, 'connection');
      assert.equal(attemptError(rig, 0).midStream, false);
      assert.equal(completed(result).attempts, 2);
    });
  });

  void it('headers delayed past the client timeout: timeout, retried after 500 ms, the late answer is never used', async () => {
    const options = { ...faultRig([{ kind: 'delay_headers', delayMs: 30_000, times: 1 }]), timeoutMs: 150 };
    await withRig(options, async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(attemptError(rig, 0), {
        kind: 'timeout',
        message: 'No response headers arrived within the 150 ms timeout.',
        midStream: false,
      });
      assert.deepEqual(sentAt(rig), [0, 500]);
      assert.equal(completed(result).attempts, 2);
      // The simulator releases the first request at 30 s: its client is gone, nothing is debited for it.
      rig.clock.advanceTo(T0 + 30_000);
      await waitUntil(() => rig.messages()[0]?.outcome !== 'pending', { what: 'the delayed request to end' });
      assert.equal(rig.messages()[0]?.outcome, 'client_closed');
      assert.equal(rig.sim.stats().tokensDebited[ORG_A]?.['sonnet-5']?.requests, 1);
    });
  });

  void it('413 request_too_large: fails as rejected with the server message, no retry, key and pool untouched', async () => {
    await withRig(faultRig([{ kind: 'request_too_large', overBytes: 0, times: 1 }]), async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(sentAt(rig), [0]);
      const { reason, attempts } = failed(result);
      assert.equal(reason.kind, 'rejected');
      assert.equal(
        reason.message,
        'The server refused the request: Request exceeds the maximum allowed number of bytes.',
      );
      assert.equal(reason.lastError?.kind, 'too_large');
      assert.equal(reason.lastError?.status, 413);
      assert.equal(attempts, 1);
      assert.equal(keyState(rig, 'a1').state, 'ok');
      assert.equal(onlyPool(rig).state, 'ok');
    });
  });

  void it('400 prompt too long: fails as rejected quoting the token counts, no retry', async () => {
    await withRig(faultRig([{ kind: 'prompt_too_long', maxTokens: 1, times: 1 }]), async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(sentAt(rig), [0]);
      const { reason } = failed(result);
      assert.equal(reason.kind, 'rejected');
      assert.equal(
        reason.message,
        'The server refused the request: prompt is too long: 100 tokens > 1 maximum',
      );
      assert.equal(reason.lastError?.kind, 'invalid_request');
    });
  });
});

void describe('scheduler contract: keys and organizations', () => {
  void it('key revoked (401): the key is quarantined and the request goes out at once with the other key', async () => {
    const options = faultRig([{ kind: 'key_revoked', key: A1.secret, afterRequests: 0 }], { keys: [A1, A2] });
    await withRig(options, async (rig) => {
      const first = rig.submit();
      const [result] = await rig.finish([first]);
      const later = await rig.finish([rig.submit(), rig.submit()]);

      assert.deepEqual(
        rig.messages().map((r) => [r.atMs - T0, r.key, r.status]),
        [
          [0, A1.secret, 401],
          [0, A2.secret, 200],
          [0, A2.secret, 200],
          [0, A2.secret, 200],
        ],
      );
      assert.equal(attemptError(rig, 0).kind, 'auth');
      const done = completed(result);
      assert.equal(done.keyId, 'a2');
      assert.equal(done.attempts, 2);
      assert.deepEqual(
        later.map((r) => completed(r).keyId),
        ['a2', 'a2'],
      );
      assert.deepEqual(keyState(rig, 'a1'), {
        id: 'a1',
        label: 'a1',
        last4: 'd-a1',
        state: 'rejected',
        reason: 'Invalid bearer token',
      });
      assert.equal(keyState(rig, 'a2').state, 'ok');
    });
  });

  void it('key revoked and no other key: fails as key_rejected after one request', async () => {
    await withRig(faultRig([{ kind: 'key_revoked', key: A1.secret, afterRequests: 0 }]), async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(sentAt(rig), [0]);
      const { reason } = failed(result);
      assert.equal(reason.kind, 'key_rejected');
      assert.equal(
        reason.message,
        'Every stored API key was rejected by the server (revoked, expired or without permission).',
      );
      assert.equal(reason.lastError?.status, 401);
      assert.equal(keyState(rig, 'a1').state, 'rejected');
    });
  });

  void it('403 permission error: the key is quarantined; with no other key the request fails as key_rejected', async () => {
    await withRig(faultRig([{ kind: 'permission_error', times: 1 }]), async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(sentAt(rig), [0]);
      const { reason } = failed(result);
      assert.equal(reason.kind, 'key_rejected');
      assert.equal(reason.lastError?.kind, 'permission');
      assert.equal(reason.lastError?.status, 403);
      const key = keyState(rig, 'a1');
      assert.equal(key.state, 'rejected');
      assert.equal(key.reason, 'Your API key does not have permission to use the specified resource.');
      assert.equal(key.organizationId, ORG_A, 'the 403 still named the organization');
    });
  });

  void it('spend cap: the organization is blocked until the date in the message; no retry; later requests fail without a request', async () => {
    const regainOn = Date.UTC(2026, 11, 1);
    await withRig(faultRig([{ kind: 'spend_limit', regainOn: '2026-12-01', times: 1 }]), async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(sentAt(rig), [0]);
      const { reason, attempts } = failed(result);
      assert.equal(reason.kind, 'spend_limit');
      assert.equal(reason.resumesAtMs, regainOn);
      assert.match(reason.message, /You will regain access on 2026-12-01 at 00:00 UTC\.$/);
      assert.equal(reason.lastError?.errorCode, 'enforced_spend_limit_reached');
      assert.equal(attempts, 1);
      const key = keyState(rig, 'a1');
      assert.equal(key.state, 'spend_limit');
      assert.equal(key.untilMs, regainOn);
      assert.equal(key.organizationId, ORG_A);

      const [blocked] = await rig.finish([rig.submit()]);
      assert.equal(failed(blocked).reason.kind, 'spend_limit');
      assert.equal(failed(blocked).attempts, 0);
      assert.equal(rig.messages().length, 1, 'nothing sent while the cap holds');

      rig.clock.advanceTo(regainOn);
      const [resumed] = await rig.finish([rig.submit()], regainOn - T0 + MINUTE);
      assert.equal(completed(resumed).attempts, 1);
      assert.equal(keyState(rig, 'a1').state, 'ok');
      assert.deepEqual(sentAt(rig), [0, regainOn - T0]);
    });
  });

  void it('spend cap on one organization: both its keys end up blocked and the request completes on the other organization', async () => {
    const options = faultRig(
      [
        { kind: 'spend_limit', key: A1.secret, regainOn: '2026-02-01' },
        { kind: 'spend_limit', key: A2.secret, regainOn: '2026-02-01' },
      ],
      { keys: [A1, A2, B1] },
    );
    await withRig(options, async (rig) => {
      const [result] = await rig.finish([rig.submit()]);
      const [next] = await rig.finish([rig.submit()]);

      // A2's organization is unknown until it answers, so it is tried once too.
      assert.deepEqual(
        rig.messages().map((r) => [r.key, r.status]),
        [
          [A1.secret, 429],
          [A2.secret, 429],
          [B1.secret, 200],
          [B1.secret, 200],
        ],
      );
      assert.deepEqual(sentAt(rig), [0, 0, 0, 0]);
      assert.equal(completed(result).keyId, 'b1');
      assert.equal(completed(result).attempts, 3);
      assert.equal(completed(next).keyId, 'b1');
      for (const id of ['a1', 'a2']) {
        const key = keyState(rig, id);
        assert.equal(key.state, 'spend_limit');
        assert.equal(key.organizationId, ORG_A);
        assert.equal(key.untilMs, Date.UTC(2026, 1, 1));
      }
      assert.equal(keyState(rig, 'b1').state, 'ok');
      assert.equal(keyState(rig, 'b1').organizationId, ORG_B);
    });
  });
});

void describe('scheduler contract: 429s and cool-downs', () => {
  void it('a real rate-limiter 429: the pool cools until retry-after and the retry goes out exactly then', async () => {
    const options: RigOptions = {
      config: simConfig([org(ORG_A, [A1.secret], { ...ROOMY, requestsPerMinute: 6 })]),
      keys: [A1],
    };
    await withRig(options, async (rig) => {
      rig.sim.drainBuckets(ORG_A);
      const request = rig.submit();
      await rig.settle();

      assert.equal(attemptError(rig, 0).kind, 'rate_limited');
      assert.equal(rig.attempts[0]?.outcome?.headers?.get('retry-after'), '10');
      const pool = onlyPool(rig);
      assert.equal(pool.state, 'cooling');
      assert.equal(pool.coolingUntilMs, T0 + 10_000);
      assert.equal(pool.cooledLimit, 'requests');
      assert.equal(rig.scheduler.snapshot().nextRetryAtMs, T0 + 10_000);
      assert.equal(keyState(rig, 'a1').state, 'cooling');

      const [result] = await rig.finish([request]);
      assert.deepEqual(sentAt(rig), [0, 10_000]);
      assert.equal(completed(result).attempts, 2);
    });
  });

  void it('ramp limit (429 ramp_limit_exceeded, retry-after 7): cools exactly 7 s, then completes', async () => {
    await withRig(faultRig([{ kind: 'ramp_limit', retryAfterSec: 7, times: 1 }]), async (rig) => {
      const request = rig.submit();
      await rig.settle();

      assert.equal(attemptError(rig, 0).kind, 'ramp_limited');
      assert.equal(attemptError(rig, 0).errorCode, 'ramp_limit_exceeded');
      const pool = onlyPool(rig);
      assert.equal(pool.state, 'cooling');
      assert.equal(pool.coolingUntilMs, T0 + 7_000);
      assert.ok(rig.logs.some((l) => l.message.startsWith('429 (acceleration limit)')));

      const [result] = await rig.finish([request]);
      assert.deepEqual(sentAt(rig), [0, 7_000]);
      assert.equal(completed(result).attempts, 2);
    });
  });

  for (const variant of ['negative', 'huge', 'past_date'] as const) {
    void it(`absurd retry-after (${variant}) is ignored: a 500 ms backoff cool-down, then the retry`, async () => {
      await withRig(faultRig([{ kind: 'absurd_retry_after', variant, times: 1 }]), async (rig) => {
        const request = rig.submit();
        await rig.settle();

        const header = rig.attempts[0]?.outcome?.headers?.get('retry-after') ?? '';
        if (variant === 'past_date') assert.equal(Date.parse(header), T0 - 3_600_000, header);
        else assert.equal(header, variant === 'negative' ? '-5' : '1000000000');
        assert.equal(onlyPool(rig).coolingUntilMs, T0 + 500);
        const [result] = await rig.finish([request]);
        assert.deepEqual(sentAt(rig), [0, 500]);
        assert.equal(completed(result).attempts, 2);
      });
    });
  }

  void it('absurd retry-after on every answer: cool-downs grow by backoff, never past 30 s, and the request fails after 9 tries', async () => {
    await withRig(faultRig([{ kind: 'absurd_retry_after', variant: 'huge' }]), async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      // Each gap is a cool-down: backoff ceilings 1, 2, 4, … s capped at 60 s, drawn at 0.5.
      assert.deepEqual(sentAt(rig), [0, 500, 1_500, 3_500, 7_500, 15_500, 31_500, 61_500, 91_500]);
      // The 9th 429 still cools the pool, by the same bounded amount.
      assert.equal(onlyPool(rig).coolingUntilMs, T0 + 91_500 + 30_000);
      const { reason, attempts } = failed(result);
      assert.equal(reason.kind, 'rate_limited');
      assert.equal(reason.message, 'Still rate limited after 9 tries: Rate limited');
      assert.equal(attempts, 9);
    });
  });
});

void describe('scheduler contract: mid-stream failures', () => {
  for (const [fault, errorKind] of [
    [{ kind: 'stream_error', afterDeltas: 3, errorType: 'overloaded_error' }, 'overloaded'],
    [{ kind: 'stream_error', afterDeltas: 3, errorType: 'rate_limit_error' }, 'rate_limited'],
    [{ kind: 'stream_close', afterDeltas: 3 }, 'connection'],
    [{ kind: 'malformed_sse', afterDeltas: 3 }, 'malformed_response'],
  ] as const) {
    const label = 'errorType' in fault ? `${fault.kind} ${fault.errorType}` : fault.kind;
    void it(`${label} after output: fails as interrupted, keeps the partial text, never re-sends`, async () => {
      await withRig(faultRig([{ ...fault, times: 1 }]), async (rig) => {
        const request = rig.submit();
        const [result] = await rig.finish([request]);
        rig.clock.advance(10 * MINUTE);
        await rig.settle();

        const { reason, partialText, attempts } = failed(result);
        assert.equal(reason.kind, 'interrupted');
        assert.equal(
          reason.message,
          `The answer was interrupted (${errorKind.replace(/_/g, ' ')} mid-stream); the partial answer is kept.`,
        );
        assert.equal(reason.lastError?.kind, errorKind);
        assert.equal(reason.lastError?.midStream, true);
        assert.equal(partialText.length, 3 * 4, 'three one-token deltas');
        assert.equal(partialText, request.texts.join(''));
        assert.equal(attempts, 1);
        assert.deepEqual(sentAt(rig), [0], 'the request was never sent again');
      });
    });
  }

  void it('a mid-stream rate_limit_error that names no limit cools the pool by a backoff, blaming no limit', async () => {
    await withRig(
      faultRig([{ kind: 'stream_error', afterDeltas: 3, errorType: 'rate_limit_error', times: 1 }]),
      async (rig) => {
        rig.submit();
        await rig.settle();

        // "Rate limited" and 200 headers with room everywhere: no limit is named (API notes §10), so
        // no bucket is blamed; the pool waits the first backoff (500 ms at the rig's jitter draw).
        const pool = onlyPool(rig);
        assert.equal(pool.state, 'cooling');
        assert.equal(pool.coolingUntilMs, T0 + 500);
        assert.equal(pool.dimensions.requests.capacity, 60);
      },
    );
  });

  for (const fault of [
    { kind: 'stream_error', afterDeltas: 0, errorType: 'overloaded_error' },
    { kind: 'stream_close', afterDeltas: 0 },
  ] as const) {
    void it(`${fault.kind} before any output: retried after 500 ms, completes with only the second answer's text`, async () => {
      await withRig(faultRig([{ ...fault, times: 1 }]), async (rig) => {
        const request = rig.submit();
        const [result] = await rig.finish([request]);

        assert.deepEqual(sentAt(rig), [0, 500]);
        assert.equal(attemptError(rig, 0).midStream, true);
        const done = completed(result);
        assert.equal(done.attempts, 2);
        assert.equal(request.texts.length, REPLY_TOKENS);
        assert.equal(done.text, request.texts.join(''));
      });
    });
  }

  void it('malformed_json only hits JSON replies: a streamed request completes untouched', async () => {
    await withRig(faultRig([{ kind: 'malformed_json' }]), async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.equal(completed(result).attempts, 1);
      assert.deepEqual(rig.sim.stats().faultsFired, {});
    });
  });
});

void describe('scheduler contract: stalled streams (transport idle timeout on the shared clock)', () => {
  void it('a stream slower than the idle timeout is abandoned exactly 30 s after its headers, retried, then given up', async () => {
    const options: RigOptions = {
      // One token per 100 s: after the opening events the stream says nothing for longer than the timeout.
      config: simConfig([org(ORG_A, [A1.secret], ROOMY)], {
        reply: { minOutputTokens: REPLY_TOKENS, maxOutputTokens: REPLY_TOKENS, tokensPerSecond: 0.01 },
      }),
      keys: [A1],
      scheduler: { backoff: { ...BACKOFF, maxAttempts: 2 } },
      streamIdleTimeoutMs: 30_000,
    };
    await withRig(options, async (rig) => {
      const [result] = await rig.finish([rig.submit()]);

      assert.deepEqual(
        rig.attempts.map((a) => [a.sentAtMs - T0, a.headersAtMs! - T0, a.endedAtMs! - T0]),
        [
          [0, 0, 30_000],
          [30_500, 30_500, 60_500],
        ],
      );
      assert.deepEqual(attemptError(rig, 0), {
        kind: 'timeout',
        message: 'No data arrived for 30000 ms after the response started.',
        midStream: true,
      });
      const { reason, partialText } = failed(result);
      assert.equal(reason.kind, 'retries_exhausted');
      assert.equal(
        reason.message,
        'Gave up after 2 attempts: timeout mid-stream (No data arrived for 30000 ms after the response started.).',
      );
      assert.equal(partialText, '');
      await waitUntil(() => rig.messages().every((r) => r.outcome !== 'pending'), {
        what: 'the simulator to see both go',
      });
      assert.deepEqual(
        rig.messages().map((r) => r.outcome),
        ['client_closed', 'client_closed'],
      );
    });
  });

  void it('a slow but steady stream (a token a second, idle timeout 1.5 s) completes', async () => {
    const options: RigOptions = {
      config: simConfig([org(ORG_A, [A1.secret], ROOMY)], {
        reply: { minOutputTokens: REPLY_TOKENS, maxOutputTokens: REPLY_TOKENS, tokensPerSecond: 1 },
      }),
      keys: [A1],
      streamIdleTimeoutMs: 1_500,
    };
    await withRig(options, async (rig) => {
      const request = rig.submit();
      const [result] = await rig.finish([request]);

      const done = completed(result);
      assert.equal(done.attempts, 1);
      assert.equal(request.texts.length, REPLY_TOKENS);
      assert.equal(rig.attempts[0]?.endedAtMs, T0 + REPLY_TOKENS * 1_000);
    });
  });
});

void describe('scheduler contract: pacing on learned limits', () => {
  void it('30 requests against 12 RPM / 6k ITPM / 2k OTPM: learned from headers, all complete, at most one 429', async () => {
    const options: RigOptions = { config: simConfig([org(ORG_A, [A1.secret], TIGHT)]), keys: [A1] };
    await withRig(options, async (rig) => {
      const requests = Array.from({ length: 30 }, () => rig.submit());
      const all = await rig.finish(requests);

      assert.deepEqual(
        all.map((r) => r.status),
        Array(30).fill('completed'),
      );
      // The one 429 is the arrival-order bug (see the skipped test below); 0 once it is fixed.
      assert.ok(count429(rig) <= 1, `${count429(rig)} 429s`);
      assert.equal(rig.messages().length, 30 + count429(rig));
      const pool = onlyPool(rig);
      assert.equal(pool.id, `${ORG_A}|sonnet-5`);
      assert.deepEqual(
        [
          pool.dimensions.requests.limit,
          pool.dimensions.inputTokens.limit,
          pool.dimensions.outputTokens.limit,
        ],
        [12, 6_000, 2_000],
      );
      // A 12-request burst, then one per 5 s: the 30th starts at 90 s; the server allows no sooner.
      const ok = rig.messages().filter((r) => r.status === 200);
      assert.equal(ok.filter((r) => r.atMs === T0).length, 12);
      assert.equal(ok.at(-1)!.atMs - T0, 90_000);
      for (let i = 13; i < ok.length; i++) assert.ok(ok[i]!.atMs - ok[i - 1]!.atMs >= 5_000);
    });
  });

  void it('short-window enforcement (60 RPM as a 5-request burst): the burst is learned from reset headers, zero 429s', async () => {
    const options: RigOptions = {
      config: simConfig([org(ORG_A, [A1.secret], ROOMY)], { burstWindowSec: 5 }),
      keys: [A1],
    };
    await withRig(options, async (rig) => {
      const all = await rig.finish(Array.from({ length: 30 }, () => rig.submit()));

      assert.ok(all.every((r) => r.status === 'completed'));
      assert.equal(count429(rig), 0);
      assert.equal(onlyPool(rig).dimensions.requests.capacity, 5);
      // 5 at once, then one a second.
      assert.equal(sentAt(rig).filter((t) => t === 0).length, 5);
      assert.equal(sentAt(rig).at(-1), 25_000);
    });
  });

  void it('keys of two organizations learn their organization ids and get separate pools', async () => {
    const options: RigOptions = {
      config: simConfig([
        org(ORG_A, [A1.secret], { requestsPerMinute: 6 }),
        org(ORG_B, [B1.secret], { requestsPerMinute: 6 }),
      ]),
      keys: [A1, B1],
    };
    await withRig(options, async (rig) => {
      const all = await rig.finish(Array.from({ length: 12 }, () => rig.submit()));

      assert.ok(all.every((r) => r.status === 'completed'));
      // Two budgets of 6: all 12 go out at once, without a 429.
      assert.deepEqual(sentAt(rig), Array(12).fill(0));
      assert.equal(count429(rig), 0);
      assert.deepEqual(rig.sim.stats().requestsByKey, { [A1.secret]: 6, [B1.secret]: 6 });
      const snapshot = rig.scheduler.snapshot();
      assert.deepEqual(
        snapshot.pools.map((p) => [p.id, p.organizationId, p.dimensions.requests.limit]).sort(),
        [
          [`${ORG_A}|sonnet-5`, ORG_A, 6],
          [`${ORG_B}|sonnet-5`, ORG_B, 6],
        ],
      );
      assert.deepEqual(
        snapshot.keys.map((k) => [k.id, k.organizationId]),
        [
          ['a1', ORG_A],
          ['b1', ORG_B],
        ],
      );
    });
  });

  void it('two keys of one organization share one pool: the shared budget paces both', async () => {
    const options: RigOptions = {
      config: simConfig([org(ORG_A, [A1.secret, A2.secret], { requestsPerMinute: 6 })]),
      keys: [A1, A2],
    };
    await withRig(options, async (rig) => {
      const all = await rig.finish(Array.from({ length: 12 }, () => rig.submit()));

      assert.ok(all.every((r) => r.status === 'completed'));
      const pool = onlyPool(rig);
      assert.equal(pool.id, `${ORG_A}|sonnet-5`);
      assert.deepEqual(
        rig.scheduler.snapshot().keys.map((k) => [k.id, k.organizationId]),
        [
          ['a1', ORG_A],
          ['a2', ORG_A],
        ],
      );
      const byKey = rig.sim.stats().requestsByKey;
      assert.ok((byKey[A1.secret] ?? 0) >= 5 && (byKey[A2.secret] ?? 0) >= 5, JSON.stringify(byKey));
      // Two separate budgets would send all 12 at once and draw six 429s; one budget of 6 takes 60 s.
      assert.ok(count429(rig) <= 1, `${count429(rig)} 429s`);
      assert.equal(sentAt(rig).filter((t) => t === 0).length, 6 + count429(rig));
      const okTimes = rig
        .messages()
        .filter((r) => r.status === 200)
        .map((r) => r.atMs - T0);
      assert.equal(okTimes.at(-1), 60_000);
    });
  });

  void it("a hidden competitor halves the refill: every request still completes, at the server's net pace", async () => {
    const options: RigOptions = {
      config: simConfig([org(ORG_A, [A1.secret], TIGHT)], {
        competitors: [{ organization: ORG_A, modelClass: 'sonnet-5', share: { requests: 0.5 } }],
      }),
      keys: [A1],
    };
    await withRig(options, async (rig) => {
      const all = await rig.finish(Array.from({ length: 30 }, () => rig.submit()));

      assert.ok(
        all.every((r) => r.status === 'completed' && r.attempts <= 2),
        JSON.stringify(all.map((r) => (r.status === 'completed' ? r.attempts : r.status))),
      );
      // Net refill is one request per 10 s: 12 at once, then 18 more take 180 s; once others' draw
      // is seen the pacer keeps one request in hand, which costs one refill slot once.
      const okTimes = rig
        .messages()
        .filter((r) => r.status === 200)
        .map((r) => r.atMs - T0);
      assert.ok(okTimes.at(-1)! >= 180_000 && okTimes.at(-1)! <= 190_000, `last at ${okTimes.at(-1)} ms`);
      assert.ok(count429(rig) <= 2, `${count429(rig)} 429s`);
      assert.equal(rig.sim.stats().rateLimitedByLimiter.requests, count429(rig));
    });
  });

  void it('missing and garbage rate-limit headers on some answers do not break pacing', async () => {
    const options: RigOptions = {
      config: simConfig([org(ORG_A, [A1.secret], TIGHT)], {
        faults: [
          { kind: 'garbage_rate_limit_headers', onRequest: [1, 5, 9, 20] },
          { kind: 'missing_rate_limit_headers', onRequest: [2, 6, 10, 21] },
        ],
      }),
      keys: [A1],
    };
    await withRig(options, async (rig) => {
      const first = rig.submit();
      await rig.settle();
      // Request 1 answered with garbage: nothing learned, the pool still probes (one at a time).
      assert.equal(completed(first.result).attempts, 1);
      assert.equal(onlyPool(rig).state, 'probing');
      assert.equal(onlyPool(rig).dimensions.requests.limit, undefined);

      const rest = Array.from({ length: 23 }, () => rig.submit());
      const all = await rig.finish(rest);

      assert.ok(all.every((r) => r.status === 'completed'));
      assert.ok(count429(rig) <= 1, `${count429(rig)} 429s`);
      assert.equal(onlyPool(rig).dimensions.requests.limit, 12);
      // 24 requests at 12 per minute with a 12 burst: the last goes out at 60 s.
      const okTimes = rig
        .messages()
        .filter((r) => r.status === 200)
        .map((r) => r.atMs - T0);
      assert.equal(okTimes.at(-1), 60_000);
      assert.deepEqual(rig.sim.stats().faultsFired, {
        garbage_rate_limit_headers: 4,
        missing_rate_limit_headers: 4,
      });
    });
  });
});

void describe('scheduler contract: regressions of core bugs found here and fixed', () => {
  void it('a later request overtaking an earlier one in flight does not make the pool overestimate the budget', async () => {
    // The first request to arrive is held 1 s by the simulator before admission; the other five are
    // admitted at once. sync() takes every request sent before an answered one as already counted in
    // its `remaining`, so the pool believes one request is left although the held one will take it:
    // the scheduler sends a 7th the server cannot serve, and one of the two gets a 429.
    const options: RigOptions = {
      config: simConfig([org(ORG_A, [A1.secret], { ...ROOMY, requestsPerMinute: 6 })], {
        faults: [{ kind: 'delay_headers', delayMs: 1_000, onRequest: [1] }],
      }),
      keys: [A1],
      // Six sent at once from the configured limits (the first-contact probe has its own tests).
      scheduler: { limits: { '*': { requests: 6 } }, maxInFlight: 10, probeFirst: false },
    };
    await withRig(options, async (rig) => {
      const first = Array.from({ length: 6 }, () => rig.submit());
      await waitUntil(() => rig.attempts.filter((a) => a.outcome !== undefined).length === 5, {
        what: 'five answers',
      });
      const seventh = rig.submit();

      assert.equal(rig.attempts.length, 6, 'no 7th request while the held one may still take the last slot');
      rig.clock.advance(1_000);
      await rig.finish([...first, seventh]);
      assert.equal(count429(rig), 0);
    });
  });

  void it('the pool learns a net refill slower than limit/60 (hidden competitor), so 429s stay rare', async () => {
    const options: RigOptions = {
      config: simConfig([org(ORG_A, [A1.secret], TIGHT)], {
        competitors: [{ organization: ORG_A, modelClass: 'sonnet-5', share: { requests: 0.5 } }],
      }),
      keys: [A1],
    };
    await withRig(options, async (rig) => {
      await rig.finish(Array.from({ length: 30 }, () => rig.submit()));

      // Headers say "12 limit, 0 remaining, full again in 120 s": a net refill of 6 per minute.
      assert.ok(count429(rig) <= 2, `${count429(rig)} 429s`);
    });
  });

  void it('a 529 carrying retry-after is not retried before the server said', async () => {
    const options = faultRig([{ kind: 'overloaded', times: 1 }], {
      sim: { overloaded: { shouldRetry: true, retryAfterSec: 3 } },
    });
    await withRig(options, async (rig) => {
      await rig.finish([rig.submit()]);

      assert.deepEqual(sentAt(rig), [0, 3_000]);
    });
  });
});
