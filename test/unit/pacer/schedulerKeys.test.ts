import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { key, setup } from './schedulerHarness';
import { flush, headers, rateHeaders, success, usage } from './scriptedTransport';

describe('Scheduler key pool', () => {
  it('keys of one organization share one budget once a response reveals it', async () => {
    const { clock, transport, submit, scheduler } = setup(
      { limits: { '*': { requests: 2, inputTokens: 1e6, outputTokens: 1e6 } } },
      [key('ka'), key('kb')],
    );
    for (let i = 0; i < 4; i++) submit('command', 10);
    assert.equal(
      transport.attempts.length,
      4,
      'unknown organizations: each key is provisionally its own budget',
    );
    for (const a of transport.open)
      a.answer(
        success(
          'ok',
          usage(10, 1),
          rateHeaders(clock.now(), { requests: [2, 0, 60] }, { 'anthropic-organization-id': 'org-shared' }),
        ),
      );
    await flush();
    const snapshot = scheduler.snapshot();
    assert.deepEqual(
      snapshot.keys.map((k) => k.organizationId),
      ['org-shared', 'org-shared'],
    );
    assert.equal(snapshot.pools.length, 1, 'one pool for the organization');
    submit('command', 10);
    assert.equal(transport.attempts.length, 4, 'the shared budget is empty, whichever key');
  });

  it('keys of different organizations add up their budgets', async () => {
    const { clock, transport, submit } = setup(
      { limits: { '*': { requests: 2, inputTokens: 1e6, outputTokens: 1e6 } } },
      [key('ka'), key('kb'), key('kc')],
    );
    for (let i = 0; i < 9; i++) submit('command', 10);
    assert.equal(transport.attempts.length, 6);
    const answered = new Map<string, number>();
    transport.attempts.forEach((a) => {
      const org = `org-${a.attempt.keyId}`;
      // Each organization's first answer shows one request left, its second none (full in 60 s).
      const nth = answered.get(org) ?? 0;
      answered.set(org, nth + 1);
      a.answer(
        success(
          'ok',
          usage(10, 1),
          rateHeaders(clock.now(), nth === 0 ? { requests: [2, 1, 30] } : { requests: [2, 0, 60] }, {
            'anthropic-organization-id': org,
          }),
        ),
      );
    });
    await flush();
    clock.advance(30_000);
    assert.equal(transport.attempts.length, 9, 'each organization refills on its own');
  });

  it('rotates keys of one organization least-recently-used first', async () => {
    const { clock, transport, submit } = setup({}, [key('ka'), key('kb')]);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      submit('command', 10);
      const open = transport.open[0]!;
      seen.push(open.attempt.keyId);
      open.answer(success('ok', usage(10, 1), headers({ 'anthropic-organization-id': 'org-1' })));
      await flush();
      clock.advance(10);
    }
    assert.deepEqual(seen, ['ka', 'kb', 'ka', 'kb']);
  });

  it('picks the key whose pool admits soonest', async () => {
    const { clock, transport, submit } = setup(
      { limits: { '*': { requests: 1, inputTokens: 1e6, outputTokens: 1e6 } } },
      [key('ka'), key('kb')],
    );
    submit('command', 10); // ka (least recently used), empties its provisional pool
    transport.nth(0).answer(success('ok', usage(10, 1), headers({ 'anthropic-organization-id': 'org-a' })));
    await flush();
    clock.advance(1);
    submit('command', 10);
    assert.equal(transport.nth(1).attempt.keyId, 'kb', 'ka must wait a minute, kb can go now');
  });

  it('adding a key at run time serves queued requests; removing one is safe in flight and queued', async () => {
    const { transport, submit, scheduler } = setup(
      { limits: { '*': { requests: 1, inputTokens: 1e6, outputTokens: 1e6 } } },
      [key('ka')],
    );
    const inFlight = submit('command', 10);
    const queued = submit('command', 10);
    assert.equal(transport.attempts.length, 1);
    scheduler.setKeys([key('kb')]); // ka removed while its request is in flight; kb added
    assert.equal(transport.nth(1).attempt.keyId, 'kb', 'the queued request went out on the new key');
    transport.nth(0).answer(success('done', usage(10, 1)));
    transport.nth(1).answer(success('done', usage(10, 1)));
    assert.equal((await inFlight.result).status, 'completed');
    assert.equal((await queued.result).status, 'completed');
  });

  it('with no key stored, a request fails at once asking for one', async () => {
    const { submit, transport } = setup({}, []);
    const r = await submit('interactive', 10).result;
    assert.ok(r.status === 'failed' && r.reason.kind === 'no_keys');
    assert.equal(transport.attempts.length, 0);
  });

  it('never puts anything but the last four characters of a key in its snapshot', () => {
    const { scheduler } = setup({}, [{ id: 'id-1', label: 'work', last4: 'WXYZ' }]);
    const text = JSON.stringify(scheduler.snapshot());
    assert.ok(text.includes('WXYZ'));
    assert.ok(!text.includes('sk-ant'));
  });
});

describe('Scheduler key gate (daily budgets)', () => {
  it('skips a gated key, fails with the reason when every key is gated, and uses keys again after refresh', async () => {
    const { transport, submit, scheduler } = setup({}, [key('ka'), key('kb')]);
    let exhausted = new Set(['ka']);
    scheduler.setKeyGate((id) =>
      exhausted.has(id)
        ? { kind: 'daily_budget', reason: '100 requests per day', untilMs: Date.UTC(2026, 0, 2) }
        : undefined,
    );
    submit('command', 10);
    assert.equal(transport.nth(0).attempt.keyId, 'kb');
    assert.equal(scheduler.snapshot().keys.find((k) => k.id === 'ka')?.state, 'daily_budget');
    exhausted = new Set(['ka', 'kb']);
    const r = await submit('command', 10).result;
    assert.ok(
      r.status === 'failed' &&
        r.reason.kind === 'daily_budget' &&
        /100 requests per day/.test(r.reason.message),
    );
    exhausted = new Set();
    scheduler.refresh();
    submit('command', 10);
    assert.equal(transport.attempts.length, 2);
  });
});
