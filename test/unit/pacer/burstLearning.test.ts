// Issue 12: the burst, the refill and the lanes learned from what the server shows, on a fake clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { key, setup } from './schedulerHarness';
import { failure, flush, headers, rateHeaders, success, usage } from './scriptedTransport';

const ROOMY = { inputTokens: 1e9, outputTokens: 1e9 };

describe('Burst learning and first contact', () => {
  it('probes with one request, then learns a one-second burst from its answer (60 RPM as 1 per second)', async () => {
    const { clock, transport, submit, start } = setup({ limits: {}, probeFirst: true });
    for (let i = 0; i < 2; i++) submit('command', 10);
    assert.equal(transport.attempts.length, 1, 'one probe until the first answer');
    // 60 RPM shown, but after this request 0 remain and the bucket is full again within the second.
    transport.nth(0).answer(success('ok', usage(10, 1), rateHeaders(clock.now(), { requests: [60, 0, 1] })));
    await flush();
    assert.equal(transport.attempts.length, 1, 'burst of 1: nothing more now');
    clock.advance(1000);
    assert.equal(transport.attempts.length, 2, 'one per second');
    assert.equal(clock.now() - start, 1000);
    transport.nth(1).answer(success('ok', usage(10, 1), rateHeaders(clock.now(), { requests: [60, 0, 1] })));
    await flush();
    clock.advance(10_000); // idle: a minute-sized bucket would now hold ten
    for (let i = 0; i < 5; i++) submit('command', 10);
    assert.equal(transport.attempts.length, 3, 'after a pause the burst is still one request, not the limit');
  });

  it('a burst sent together teaches the whole burst, so later bursts match it without 429s', async () => {
    const { clock, transport, submit, scheduler } = setup({
      limits: { '*': { requests: 600, ...ROOMY } },
    });
    for (let i = 0; i < 10; i++) submit('command', 10);
    // The server keeps a 10-request burst (one second of 600 RPM): it shows 9, 8, …, 0 remaining.
    for (let i = 0; i < 10; i++)
      transport
        .nth(i)
        .answer(success('ok', usage(10, 1), rateHeaders(clock.now(), { requests: [600, 9 - i, 1] })));
    await flush();
    assert.equal(scheduler.snapshot().pools[0]?.dimensions.requests.capacity, 10);
    clock.advance(60_000);
    for (let i = 0; i < 30; i++) submit('command', 10);
    assert.equal(transport.attempts.length, 20, 'the next burst is exactly the learned one');
  });

  it('keys whose organization is unknown make first contact one at a time (they may share a budget)', () => {
    const { transport, submit } = setup({ limits: {}, probeFirst: true }, [key('ka'), key('kb'), key('kc')]);
    for (let i = 0; i < 6; i++) submit('command', 10);
    assert.equal(transport.attempts.length, 1, 'one probe for all three keys');
  });

  it('paces on the total-tokens limit that only tokens-* shows (a Workspace limit)', async () => {
    const { clock, transport, submit, scheduler } = setup({
      limits: { '*': { requests: 1000, ...ROOMY } },
    });
    const first = submit('command', 2000, { maxTokens: 100 });
    // Input and output roomy, but the Workspace allows 3,000 total tokens per minute and 0 are left.
    const h = rateHeaders(clock.now(), {
      input: [1e9, 1e9 - 2000, 1],
      output: [1e9, 1e9, 0],
      tokens: [3000, 0, 60],
    });
    transport.nth(0).answer(success('ok', usage(2000, 100), h));
    await first.result;
    const second = submit('command', 2000, { maxTokens: 100 });
    assert.equal(transport.attempts.length, 1, 'held back by total tokens');
    assert.deepEqual(second.progress().waitingFor, { kind: 'limit', dimension: 'tokens' });
    assert.equal(scheduler.snapshot().pools[0]?.dimensions.tokens.limit, 3000);
  });
});

describe('429s without halving', () => {
  it('a retry-after of 0 still waits a short floor (a second for a per-minute bucket)', async () => {
    const { clock, transport, submit, start } = setup();
    submit('command', 10);
    transport
      .nth(0)
      .answer(
        failure(
          { kind: 'rate_limited', status: 429, message: 'Rate limited', midStream: false },
          headers({ 'retry-after': '0' }),
        ),
      );
    await flush();
    assert.equal(transport.attempts.length, 1, 'not retried at once');
    clock.advance(1000);
    assert.equal(transport.attempts.length, 2);
    assert.equal(clock.now() - start, 1000);
  });

  it('a 429 that names no limit ("Rate limited", no headers) blames none and shrinks nothing', async () => {
    const { clock, transport, submit, scheduler } = setup();
    submit('command', 10);
    transport
      .nth(0)
      .answer(
        failure(
          { kind: 'rate_limited', status: 429, message: 'Rate limited', midStream: false },
          headers({}),
        ),
      );
    await flush();
    const pool = scheduler.snapshot().pools[0]!;
    assert.equal(pool.state, 'cooling', 'the pool waits a backoff');
    assert.equal(pool.dimensions.requests.capacity, 60);
    assert.equal(pool.dimensions.requests.remaining, 60, 'requests not blamed');
    clock.advance(60_000);
    assert.equal(transport.attempts.length, 2, 'retried after the backoff');
  });

  it('an edge 403 ("Request not allowed") rests the key instead of quarantining it', async () => {
    const { clock, transport, submit, scheduler } = setup({}, [key('k1'), key('k2')]);
    submit('command', 10);
    transport.nth(0).answer(
      failure({
        kind: 'permission',
        status: 403,
        type: 'forbidden',
        message: 'Request not allowed',
        midStream: false,
      }),
    );
    await flush();
    assert.equal(scheduler.snapshot().keys.find((k) => k.id === 'k1')?.state, 'ok', 'not rejected');
    clock.advance(60_000);
    assert.equal(transport.nth(1).attempt.keyId, 'k2', 'the rested key is picked last');
  });
});

describe('Work-conserving lanes', () => {
  it('background work uses the whole burst while no interactive request was seen', () => {
    const { transport, submit } = setup({ limits: { '*': { requests: 10, ...ROOMY } } });
    for (let i = 0; i < 12; i++) submit('background', 10);
    assert.equal(transport.attempts.length, 10);
  });

  it('after an interactive request, background leaves about one such request in the bucket while more background waits behind, for two minutes', async () => {
    const { clock, transport, submit } = setup({
      limits: { '*': { requests: 10, ...ROOMY } },
      maxInFlight: 100,
    });
    submit('interactive', 10);
    transport.nth(0).answer(success('ok', usage(10, 1)));
    await flush();
    for (let i = 0; i < 12; i++) submit('background', 10);
    // Each arrival found nothing queued behind it: the ninth took the last request of room.
    assert.equal(transport.attempts.length, 10, '1 interactive and 9 background');
    // Three wait; a request refills every 6 s. The first two leave one request of room for an
    // interactive request, since background work waits behind them; the last has none behind it.
    clock.advance(11_999);
    assert.equal(transport.attempts.length, 10, 'the queue head waits for its cost and the reserve');
    clock.advance(1);
    assert.equal(transport.attempts.length, 11, 'at 12 s: two requests of room, one taken');
    clock.advance(5_999);
    assert.equal(transport.attempts.length, 11);
    clock.advance(1);
    assert.equal(transport.attempts.length, 13, 'at 18 s: the second, and the last takes the reserve');
    clock.advance(121_000);
    for (const open of transport.open) open.answer(success('ok', usage(10, 1)));
    await flush();
    for (let i = 0; i < 12; i++) submit('background', 10);
    assert.equal(
      transport.attempts.length,
      23,
      'no interactive lately: the background takes the whole burst',
    );
  });

  it('while interactive requests are expected, background leaves the last request slot free for them', async () => {
    const { clock, transport, submit } = setup({
      limits: { '*': { requests: 1_000, ...ROOMY } },
      maxInFlight: 4,
    });
    for (let i = 0; i < 6; i++) submit('background', 10);
    assert.equal(transport.attempts.length, 4, 'none seen yet: every slot');
    for (const open of transport.open) open.answer(success('ok', usage(10, 1)));
    await flush();
    submit('interactive', 10);
    for (const open of transport.open) open.answer(success('ok', usage(10, 1)));
    await flush();
    const before = transport.attempts.length;
    for (let i = 0; i < 10; i++) submit('background', 10);
    assert.equal(transport.open.length, 3, 'one slot kept free');
    submit('interactive', 10);
    assert.equal(transport.attempts.length, before + 4, 'the question starts at once');
    clock.advance(121_000);
    for (const open of transport.open) open.answer(success('ok', usage(10, 1)));
    await flush();
    assert.equal(transport.open.length, 4, 'none lately: background takes every slot again');
  });

  it('an interactive request arriving into a long background backlog waits at most its own refill slot', () => {
    const { clock, transport, submit } = setup({
      limits: { '*': { requests: 60, ...ROOMY } },
      maxInFlight: 100,
    });
    for (let i = 0; i < 200; i++) submit('background', 10);
    assert.equal(transport.attempts.length, 60);
    for (const open of transport.open) open.answer(success('ok', usage(10, 1)));
    clock.advance(30_500); // the backlog has drained the bucket for half a minute
    const interactive = submit('interactive', 10);
    clock.advance(1000); // one request refills per second
    assert.ok(
      transport.attempts.some((a) => a.attempt.requestId === interactive.id),
      'started within one refill slot, ahead of 100+ aged background requests',
    );
  });
});
