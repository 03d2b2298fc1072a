import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { key, setup } from './schedulerHarness';
import { failure, flush, headers, rateHeaders, success, usage } from './scriptedTransport';
import type { AttemptError } from '../../../src/pacer/transport';

const err = (e: Partial<AttemptError> & Pick<AttemptError, 'kind'>): AttemptError => ({
  message: 'x',
  midStream: false,
  ...e,
});
const SPEND_MESSAGE =
  "You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier. You will regain access on 2026-09-01 at 00:00 UTC.";

describe('Scheduler retry layer', () => {
  it('429: the pool cools down until retry-after while other requests are in flight; the request keeps its place', async () => {
    const { clock, transport, submit, scheduler, start } = setup({ maxInFlight: 5 });
    const first = submit('command', 10);
    submit('command', 10);
    submit('command', 10);
    transport
      .nth(0)
      .answer(
        failure(
          err({ kind: 'rate_limited', status: 429, message: 'rate limit of 60 requests per minute' }),
          headers({ 'retry-after': '5' }),
        ),
      );
    transport.nth(1).answer(success('ok', usage(10, 1)));
    await flush();
    const later = submit('command', 10);
    assert.equal(transport.attempts.length, 3, 'nothing goes out while the pool cools');
    assert.equal(scheduler.snapshot().pools[0]?.state, 'cooling');
    assert.equal(scheduler.snapshot().nextRetryAtMs, start + 5000);
    transport.nth(2).answer(success('ok', usage(10, 1)));
    await flush();
    clock.advance(5000);
    // retry-after said the bucket refills to one request in 5 s; the two sent after the 429 drew two more.
    assert.equal(
      transport.attempts.length,
      3,
      'the two admitted after the 429 still count against the bucket',
    );
    clock.advance(3000);
    assert.deepEqual(
      transport.attempts.slice(3).map((a) => a.attempt.requestId),
      [first.id, later.id],
      'the 429ed request kept its place',
    );
    assert.equal(transport.nth(3).attempt.attemptNumber, 2);
  });

  it('429 on a request limit with a burst of one: the rest of the pool cools one refill of it, not retry-after', async () => {
    // 2,400 a minute with a burst of about one (a limit enforced over a fortieth of a second), no
    // other limit known: the bucket refills one request in 25 ms; retry-after, in whole seconds, says 1 s.
    const { clock, transport, submit, scheduler } = setup({
      maxInFlight: 4,
      limits: { '*': { requests: 2_400 } },
    });
    const shown = (): ReturnType<typeof rateHeaders> => rateHeaders(clock.now(), { requests: [2_400, 0, 1] });
    submit('command', 10);
    transport.nth(0).answer(success('ok', usage(10, 1), shown()));
    await flush();
    const refused = submit('command', 10);
    clock.advance(25);
    assert.equal(transport.attempts.length, 2);
    const message = 'Number of requests has exceeded your rate limit';
    transport
      .nth(1)
      .answer(failure(err({ kind: 'rate_limited', status: 429, message }), headers({ 'retry-after': '1' })));
    await flush();
    const cooled = (): boolean => scheduler.snapshot().pools[0]?.state === 'cooling';
    clock.advance(24);
    assert.equal(cooled(), true);
    // A refusal at the nominal pace shows others draw too: the refill now believed is lower (the
    // bracket's ceiling), so one refill of the bucket takes longer than 25 ms; no 100 ms floor.
    clock.advance(26);
    assert.equal(cooled(), false, 'cooled one refill of the request bucket, not 100 ms');
    clock.advance(950);
    assert.equal(transport.nth(2).attempt.requestId, refused.id, 'the refused one waited all of retry-after');
  });

  it("429 without retry-after waits for the failing limit's reset header", async () => {
    const { clock, transport, submit, start } = setup();
    submit('command', 10);
    transport.nth(0).answer(
      failure(
        err({
          kind: 'rate_limited',
          status: 429,
          message: 'would exceed your rate limit of 30,000 input tokens per minute',
        }),
        rateHeaders(clock.now(), { input: [30_000, 0, 7] }),
      ),
    );
    await flush();
    assert.equal(clock.nextDueMs(), start + 7000);
  });

  it('spend-cap 429: the organization is blocked, no retry, the reason carries the date', async () => {
    const { transport, submit } = setup();
    const handle = submit('interactive', 10);
    transport.nth(0).answer(
      failure(
        err({
          kind: 'spend_limit',
          status: 429,
          errorCode: 'enforced_spend_limit_reached',
          message: SPEND_MESSAGE,
        }),
        headers({ 'anthropic-organization-id': 'org-a' }),
      ),
    );
    const result = await handle.result;
    assert.equal(transport.attempts.length, 1);
    assert.ok(result.status === 'failed' && result.reason.kind === 'spend_limit');
    assert.equal(result.reason.resumesAtMs, Date.UTC(2026, 8, 1));
    assert.match(result.reason.message, /regain access on 2026-09-01/);
    const next = await submit('interactive', 10).result;
    assert.equal(transport.attempts.length, 1, 'later requests fail without a call');
    assert.ok(next.status === 'failed' && next.reason.kind === 'spend_limit');
  });

  it('429: retry-after holds the refused pool only; a key of another organization takes the request at once', async () => {
    const { transport, submit } = setup({ maxInFlight: 4 }, [key('ka'), key('kb')]);
    const orgOf = (i: number): Record<string, string> => ({
      'anthropic-organization-id': transport.nth(i).attempt.keyId === 'ka' ? 'org-a' : 'org-b',
    });
    // First contact: each key's organization is learned from its first answer, one key at a time.
    submit('command', 10);
    transport.nth(0).answer(success('ok', usage(10, 1), headers(orgOf(0))));
    await flush();
    submit('command', 10);
    transport.nth(1).answer(success('ok', usage(10, 1), headers(orgOf(1))));
    await flush();
    assert.notEqual(transport.nth(0).attempt.keyId, transport.nth(1).attempt.keyId, 'both keys known');
    const handle = submit('interactive', 10);
    const refusedKey = transport.nth(2).attempt.keyId;
    transport
      .nth(2)
      .answer(
        failure(
          err({ kind: 'rate_limited', status: 429, message: 'rate limit of 60 requests per minute' }),
          headers({ 'retry-after': '5', ...orgOf(2) }),
        ),
      );
    await flush();
    assert.equal(transport.attempts.length, 4, 'retried without waiting 5 s');
    assert.notEqual(transport.nth(3).attempt.keyId, refusedKey, 'on the other organization');
    assert.equal(transport.nth(3).attempt.attemptNumber, 2);
    transport.nth(3).answer(success('done', usage(10, 1), headers(orgOf(3))));
    assert.equal((await handle.result).status, 'completed');
  });

  it('spend-cap 429 on one organization moves the request to a key of another organization', async () => {
    const { transport, submit } = setup({}, [key('ka'), key('kb')]);
    const handle = submit('interactive', 10);
    const firstKey = transport.nth(0).attempt.keyId;
    transport
      .nth(0)
      .answer(
        failure(
          err({ kind: 'spend_limit', status: 429, message: SPEND_MESSAGE }),
          headers({ 'anthropic-organization-id': 'org-a' }),
        ),
      );
    await flush();
    assert.notEqual(transport.nth(1).attempt.keyId, firstKey);
    transport.nth(1).answer(success('done', usage(10, 1), headers({ 'anthropic-organization-id': 'org-b' })));
    const result = await handle.result;
    assert.equal(result.status, 'completed');
  });

  it('ramp-limit 429: cool-down and a slower ramp (fewer in flight)', async () => {
    const { clock, transport, submit } = setup({ maxInFlight: 8 });
    for (let i = 0; i < 4; i++) submit('command', 10);
    transport
      .nth(0)
      .answer(
        failure(
          err({ kind: 'ramp_limited', status: 429, errorCode: 'ramp_limit_exceeded' }),
          headers({ 'retry-after': '2' }),
        ),
      );
    for (let i = 1; i < 4; i++) transport.nth(i).answer(success('ok', usage(10, 1)));
    await flush();
    for (let i = 0; i < 6; i++) submit('command', 10);
    clock.advance(2000);
    assert.ok(transport.open.length <= 2, `ramp slowed: ${transport.open.length} in flight`);
  });

  it('529: full-jitter backoff, then fails with the reason after max attempts', async () => {
    const { clock, transport, submit, start } = setup({
      backoff: { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 3 },
    });
    const handle = submit('command', 10);
    const overloaded = err({ kind: 'overloaded', status: 529, message: 'Overloaded' });
    transport.nth(0).answer(failure(overloaded));
    await flush();
    assert.equal(clock.nextDueMs(), start + 500, 'random 0.5 × 1 s');
    clock.advance(500);
    transport.nth(1).answer(failure(overloaded));
    await flush();
    assert.equal(clock.nextDueMs(), start + 500 + 1000, 'random 0.5 × 2 s');
    clock.advance(1000);
    transport.nth(2).answer(failure(overloaded));
    const result = await handle.result;
    assert.equal(transport.attempts.length, 3);
    assert.ok(result.status === 'failed' && result.reason.kind === 'retries_exhausted');
    assert.match(result.reason.message, /after 3 attempts: 529 overloaded/);
    assert.equal(clock.pendingTimers, 0, 'nothing left scheduled');
  });

  it('500, 504, connection errors and timeouts are retried; x-should-retry: false is obeyed', async () => {
    const { clock, transport, submit } = setup();
    const h = submit('command', 10);
    transport.nth(0).answer(failure(err({ kind: 'server_error', status: 500 })));
    await flush();
    clock.advance(60_000);
    transport.nth(1).answer(failure(err({ kind: 'gateway_timeout', status: 504 })));
    await flush();
    clock.advance(60_000);
    transport.nth(2).answer(failure(err({ kind: 'connection' })));
    await flush();
    clock.advance(60_000);
    transport.nth(3).answer(failure(err({ kind: 'timeout' })));
    await flush();
    clock.advance(60_000);
    transport.nth(4).answer(success('ok', usage(10, 1)));
    assert.equal((await h.result).status, 'completed');
    const noRetry = submit('command', 10);
    transport
      .nth(5)
      .answer(
        failure(
          err({ kind: 'server_error', status: 500, message: 'Internal server error' }),
          headers({ 'x-should-retry': 'false' }),
        ),
      );
    const r = await noRetry.result;
    assert.ok(r.status === 'failed' && r.reason.kind === 'rejected');
  });

  it('401/403: the key is quarantined and the request moves to another key; with none left it fails', async () => {
    const { transport, submit, scheduler } = setup({}, [key('ka'), key('kb')]);
    const handle = submit('command', 10);
    const bad = transport.nth(0).attempt.keyId;
    transport.nth(0).answer(failure(err({ kind: 'auth', status: 401, message: 'invalid x-api-key' })));
    await flush();
    assert.notEqual(transport.nth(1).attempt.keyId, bad);
    transport.nth(1).answer(failure(err({ kind: 'permission', status: 403, message: 'no permission' })));
    const result = await handle.result;
    assert.ok(result.status === 'failed' && result.reason.kind === 'key_rejected');
    assert.deepEqual(
      scheduler.snapshot().keys.map((k) => k.state),
      ['rejected', 'rejected'],
    );
    scheduler.releaseKey(bad);
    submit('command', 10);
    assert.equal(transport.nth(2).attempt.keyId, bad, 'a released key is used again');
  });

  it("400, 404 and 413 fail at once with the server's message", async () => {
    const { transport, submit } = setup();
    for (const [kind, status, message] of [
      ['invalid_request', 400, 'prompt is too long: 208310 tokens > 200000 maximum'],
      ['not_found', 404, 'model: nope'],
      ['too_large', 413, 'Request exceeds the maximum allowed number of bytes.'],
    ] as const) {
      const before = transport.attempts.length;
      const handle = submit('command', 10);
      transport.nth(before).answer(failure(err({ kind, status, message })));
      const result = await handle.result;
      assert.equal(transport.attempts.length, before + 1);
      assert.ok(result.status === 'failed' && result.reason.kind === 'rejected');
      assert.ok(result.reason.message.includes(message));
    }
  });

  it('a self-set usage limit (400) blocks the organization like a spend cap', async () => {
    const { transport, submit } = setup();
    const h = submit('command', 10);
    transport.nth(0).answer(
      failure(
        err({
          kind: 'invalid_request',
          status: 400,
          message:
            'You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.',
        }),
      ),
    );
    const r = await h.result;
    assert.ok(r.status === 'failed' && r.reason.kind === 'spend_limit');
  });

  it('a mid-stream error before any output is retried; after output the request fails with the partial answer kept', async () => {
    const { clock, transport, scheduler } = setup();
    const texts: string[] = [];
    const h1 = scheduler.submit({
      lane: 'interactive',
      request: { model: 'claude-sonnet-4-6', maxTokens: 50, messages: [{ role: 'user', content: 'q' }] },
      onText: (t) => texts.push(t),
    });
    transport.nth(0).answer(failure(err({ kind: 'overloaded', type: 'overloaded_error', midStream: true })));
    await flush();
    clock.advance(60_000);
    assert.equal(transport.attempts.length, 2, 'no output yet: retried');
    transport.nth(1).attempt.onText('Hel');
    transport.nth(1).attempt.onText('lo');
    transport
      .nth(1)
      .answer(
        failure(err({ kind: 'rate_limited', type: 'rate_limit_error', midStream: true }), undefined, 'Hello'),
      );
    const result = await h1.result;
    assert.ok(result.status === 'failed' && result.reason.kind === 'interrupted');
    assert.equal(result.partialText, 'Hello');
    assert.deepEqual(texts, ['Hel', 'lo']);
    clock.advance(120_000);
    assert.equal(transport.attempts.length, 2, 'never silently re-sent');
  });

  it('falls back to the configured model after N consecutive overloads, and says so', async () => {
    const { clock, transport, submit } = setup({
      fallbackModel: 'claude-haiku-4-5',
      fallbackAfterOverloads: 2,
    });
    const handle = submit('command', 10, { model: 'claude-opus-4-6' });
    for (let i = 0; i < 2; i++) {
      transport.nth(i).answer(failure(err({ kind: 'overloaded', status: 529 })));
      await flush();
      clock.advance(60_000);
    }
    assert.equal(transport.nth(2).attempt.request.model, 'claude-haiku-4-5');
    transport.nth(2).answer(success('ok', usage(10, 1)));
    const result = await handle.result;
    assert.ok(result.status === 'completed' && result.usedFallback && result.model === 'claude-haiku-4-5');
  });

  it('gives up on a request that keeps being rate limited', async () => {
    const { clock, transport, submit } = setup({ maxRateLimitRetries: 2 });
    const h = submit('command', 10);
    for (let i = 0; i < 3; i++) {
      transport
        .nth(i)
        .answer(failure(err({ kind: 'rate_limited', status: 429 }), headers({ 'retry-after': '1' })));
      await flush();
      clock.advance(1000);
    }
    const r = await h.result;
    assert.ok(r.status === 'failed' && r.reason.kind === 'rate_limited');
  });

  it('survives a transport that throws or rejects', async () => {
    const { scheduler } = setup();
    const broken = new (await import('../../../src/pacer/scheduling/scheduler')).Scheduler({
      clock: new (await import('../../support/manualClock')).ManualClock(),
      random: () => 0.5,
      transport: {
        send: () => {
          throw new Error('boom');
        },
      },
      options: { backoff: { baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 1 } },
    });
    broken.setKeys([key('k1')]);
    const r = await broken.submit({ lane: 'command', request: { model: 'm', maxTokens: 1, messages: [] } })
      .result;
    assert.ok(
      r.status === 'failed' && r.reason.kind === 'retries_exhausted' && /boom/.test(r.reason.message),
    );
    scheduler.dispose();
  });
});
