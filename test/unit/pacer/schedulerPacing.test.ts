import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setup } from './schedulerHarness';
import { failure, flush, rateHeaders, success, usage } from './scriptedTransport';

describe('Scheduler pacing', () => {
  it('paces on requests per minute and sleeps exactly until the refill, with one timer', async () => {
    const { clock, transport, submit, start } = setup({
      limits: { '*': { requests: 6, inputTokens: 1e6, outputTokens: 1e6 } },
    });
    for (let i = 0; i < 8; i++) submit('command', 10);
    assert.equal(transport.attempts.length, 6, 'a full bucket lets the burst of 6 through');
    assert.equal(clock.pendingTimers, 1, 'one wake-up, no polling');
    assert.equal(clock.nextDueMs(), start + 10_000, 'wakes exactly when one request has refilled');
    for (const a of transport.open) a.answer(success('ok', usage(10, 5)));
    await flush();
    clock.advance(9_999);
    assert.equal(transport.attempts.length, 6);
    clock.advance(1);
    assert.equal(transport.attempts.length, 7);
    clock.advance(10_000);
    assert.equal(transport.attempts.length, 8);
  });

  it('paces on input tokens with the exact wait', () => {
    const { clock, transport, submit, start } = setup({
      limits: { '*': { requests: 1000, inputTokens: 10_000, outputTokens: 1e6 } },
    });
    submit('command', 4000);
    submit('command', 4000);
    submit('command', 4000);
    assert.equal(transport.attempts.length, 2);
    assert.equal(clock.nextDueMs(), start + 12_000, '2,000 missing tokens at 10,000/min = 12 s');
    clock.advance(12_000);
    assert.equal(transport.attempts.length, 3);
  });

  it('reserves output tokens: the estimate in real-time mode, max_tokens in legacy mode', () => {
    const realtime = setup({ limits: { '*': { requests: 1000, inputTokens: 1e6, outputTokens: 3000 } } });
    for (let i = 0; i < 4; i++) realtime.submit('command', 10, { maxTokens: 4000 });
    assert.equal(
      realtime.transport.attempts.length,
      2,
      'realtime reserves min(1024 default estimate, max_tokens) = 1024 each',
    );
    const legacy = setup({
      otpmRegime: 'legacy',
      limits: { '*': { requests: 1000, inputTokens: 1e6, outputTokens: 3000 } },
    });
    for (let i = 0; i < 4; i++) legacy.submit('command', 10, { maxTokens: 1000 });
    assert.equal(legacy.transport.attempts.length, 3, 'legacy reserves max_tokens');
  });

  it('fails a request that can never fit before any HTTP call, naming the limit and both numbers', async () => {
    const { transport, submit } = setup({
      limits: { '*': { requests: 50, inputTokens: 30_000, outputTokens: 8000 } },
    });
    const result = await submit('interactive', 42_000).result;
    assert.equal(transport.attempts.length, 0);
    assert.equal(result.status, 'failed');
    assert.ok(result.status === 'failed' && result.reason.kind === 'never_fits');
    assert.match(result.reason.message, /needs 42,000 input tokens; your limit is 30,000 per minute/);
    assert.deepEqual(result.reason.limit, { dimension: 'inputTokens', needed: 42_000, perMinute: 30_000 });
  });

  it('learns limits from headers when none are configured, probing with one request first', async () => {
    const { clock, transport, submit } = setup({ limits: {}, probeFirst: true });
    submit('command', 100);
    submit('command', 100);
    assert.equal(transport.attempts.length, 1, 'unknown limits: one probe at a time');
    const now = clock.now();
    transport
      .nth(0)
      .answer(
        success(
          'ok',
          usage(100, 10),
          rateHeaders(now, { requests: [2, 1, 30], input: [30_000, 29_000, 2], output: [8000, 8000, 0] }),
        ),
      );
    await flush();
    assert.equal(transport.attempts.length, 2, 'headers taught the limits: the second goes');
    submit('command', 100);
    assert.equal(transport.attempts.length, 2, 'the learned 2 RPM limit now holds the third back');
  });

  it('re-syncs from headers: the server wins when other clients used the budget', async () => {
    const { clock, transport, submit, scheduler } = setup({
      limits: { '*': { requests: 10, inputTokens: 1e6, outputTokens: 1e6 } },
    });
    submit('command', 10);
    const now = clock.now();
    transport.nth(0).answer(success('ok', usage(10, 5), rateHeaders(now, { requests: [10, 2, 48] })));
    await flush();
    assert.equal(scheduler.snapshot().pools[0]?.dimensions.requests.remaining, 2);
    submit('command', 10);
    submit('command', 10);
    submit('command', 10);
    assert.equal(transport.attempts.length, 3, 'only the 2 the server still allows went out');
  });

  it('subtracts requests sent after the one whose headers arrive (the server had not seen them)', async () => {
    const { clock, transport, submit, scheduler } = setup({
      limits: { '*': { requests: 10, inputTokens: 1e6, outputTokens: 1e6 } },
    });
    submit('command', 10);
    submit('command', 10);
    submit('command', 10);
    // Headers of the first: 9 of 10 remain, counting only itself.
    transport.nth(0).answer(success('ok', usage(10, 5), rateHeaders(clock.now(), { requests: [10, 9, 6] })));
    await flush();
    assert.equal(
      scheduler.snapshot().pools[0]?.dimensions.requests.remaining,
      7,
      '9 minus the 2 sent after it',
    );
  });

  it('reconciles input estimates with the counted usage and learns the ratio per model class', async () => {
    const { transport, scheduler, clock } = setup({
      limits: { '*': { requests: 100, inputTokens: 60_000, outputTokens: 1e6 } },
    });
    const content = 'x'.repeat(3968); // 992 + 8 framing = 1,000 estimated tokens
    scheduler.submit({
      lane: 'command',
      request: { model: 'claude-sonnet-4-6', maxTokens: 10, messages: [{ role: 'user', content }] },
    });
    transport.nth(0).answer(success('ok', usage(2000, 10)));
    await flush();
    assert.equal(
      scheduler.snapshot().pools[0]?.dimensions.inputTokens.remaining,
      58_000,
      'the real 2,000, not the estimated 1,000',
    );
    scheduler.submit({
      lane: 'command',
      request: { model: 'claude-sonnet-4-6', maxTokens: 10, messages: [{ role: 'user', content }] },
    });
    await flush();
    assert.equal(
      scheduler.snapshot().pools[0]?.dimensions.inputTokens.remaining,
      56_000,
      'next estimate corrected to 2,000',
    );
    void clock;
  });

  it('does not count cache reads toward the input limit (most classes)', async () => {
    const { transport, submit, scheduler } = setup({
      limits: { '*': { requests: 100, inputTokens: 60_000, outputTokens: 1e6 } },
    });
    submit('command', 10_000);
    transport.nth(0).answer(success('ok', usage(500, 10, 9000, 0)));
    await flush();
    assert.equal(scheduler.snapshot().pools[0]?.dimensions.inputTokens.remaining, 59_500);
  });

  it('a 429 while the headers showed room shrinks no burst: the request waits its retry-after', async () => {
    const { clock, transport, submit, scheduler, start } = setup({
      limits: { '*': { requests: 60, inputTokens: 1e6, outputTokens: 1e6 } },
    });
    submit('command', 10);
    const h = rateHeaders(clock.now(), { requests: [60, 40, 20] }, { 'retry-after': '1' });
    transport.nth(0).answer(
      failure(
        {
          kind: 'rate_limited',
          status: 429,
          message: 'This request would exceed your organization’s rate limit of 60 requests per minute',
          midStream: false,
        },
        h,
      ),
    );
    await flush();
    assert.equal(scheduler.snapshot().pools[0]?.dimensions.requests.capacity, 60, 'no halving');
    assert.equal(transport.attempts.length, 1);
    clock.advance(999);
    assert.equal(transport.attempts.length, 1, 'retry-after is honoured');
    clock.advance(1);
    assert.equal(transport.attempts.length, 2);
    assert.equal(transport.nth(1).attempt.attemptNumber, 2);
    assert.equal(clock.now() - start, 1000);
  });

  it('infers a short enforcement window from the reset header', async () => {
    const { clock, transport, submit, scheduler } = setup({
      limits: { '*': { requests: 60, inputTokens: 1e6, outputTokens: 1e6 } },
    });
    submit('command', 10);
    // 60 RPM enforced as 10 per 10 s: after one request 9 remain and the bucket is full again in 1 s.
    transport.nth(0).answer(success('ok', usage(10, 5), rateHeaders(clock.now(), { requests: [60, 9, 1] })));
    await flush();
    assert.equal(scheduler.snapshot().pools[0]?.dimensions.requests.capacity, 10);
  });
});
