import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LongWaitEvent } from '../../../src/pacer/scheduling/schedulerTypes';
import { setup } from './schedulerHarness';
import { failure, flush, success, usage } from './scriptedTransport';

const tight = { limits: { '*': { requests: 100, inputTokens: 10_000, outputTokens: 1e6 } } };

describe('Scheduler cancellation and waiting', () => {
  it('cancels a queued request without any HTTP call', async () => {
    const { transport, submit } = setup(tight);
    submit('command', 10_000);
    const controller = new AbortController();
    const handle = submit('command', 5000, { signal: controller.signal });
    controller.abort();
    assert.deepEqual(await handle.result, { status: 'cancelled', partialText: '' });
    assert.equal(transport.attempts.length, 1);
  });

  it('a signal already aborted at submission cancels at once', async () => {
    const { submit, transport } = setup();
    const r = await submit('command', 10, { signal: AbortSignal.abort() }).result;
    assert.equal(r.status, 'cancelled');
    assert.equal(transport.attempts.length, 0);
  });

  it('cancels during a retry wait: no further attempt, no timer left behind', async () => {
    const { clock, transport, submit } = setup();
    const handle = submit('command', 10);
    transport
      .nth(0)
      .answer(failure({ kind: 'overloaded', status: 529, message: 'Overloaded', midStream: false }));
    await flush();
    assert.equal(handle.progress().retryAtMs, clock.now() + 500);
    handle.cancel();
    assert.equal((await handle.result).status, 'cancelled');
    clock.advance(60_000);
    assert.equal(transport.attempts.length, 1);
    assert.equal(clock.pendingTimers, 0);
  });

  it('cancels in flight: the attempt is aborted and the partial text returned', async () => {
    const { transport, scheduler } = setup();
    const handle = scheduler.submit({
      lane: 'interactive',
      request: { model: 'claude-sonnet-4-6', maxTokens: 10, messages: [{ role: 'user', content: 'q' }] },
    });
    const attempt = transport.nth(0).attempt;
    attempt.onText('par');
    handle.cancel();
    assert.equal(attempt.signal.aborted, true);
    assert.deepEqual(await handle.result, { status: 'cancelled', partialText: 'par' });
    attempt.onText('tial'); // late text after cancel is dropped
    await flush();
    assert.equal(transport.attempts.length, 1);
  });

  it('raises a long-wait event when the estimated start passes the maximum wait, then lets the caller choose', async () => {
    const { clock, transport, submit, scheduler } = setup(tight);
    const events: LongWaitEvent[] = [];
    scheduler.onLongWait((e) => events.push(e));
    submit('command', 10_000);
    const waiting = submit('interactive', 5000, { maxWaitMs: 10_000, label: 'Explain Selection' });
    clock.advance(0);
    await flush();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.requestId, waiting.id);
    assert.equal(events[0]?.estimatedStartMs, clock.now() + 30_000);
    assert.deepEqual(events[0]?.waitingFor, { kind: 'limit', dimension: 'inputTokens' });
    assert.equal(events[0]?.label, 'Explain Selection');
    const progress = waiting.progress();
    assert.equal(progress.position, 0);
    assert.equal(progress.estimatedStartMs, clock.now() + 30_000);
    waiting.switchModel('claude-opus-4-6');
    assert.equal(transport.nth(1).attempt.request.model, 'claude-opus-4-6', 'another pool: starts at once');
  });

  it('keepWaiting asks again only after another maximum wait', () => {
    const { clock, submit, scheduler } = setup({
      limits: { '*': { requests: 100, inputTokens: 1000, outputTokens: 1e6 } },
    });
    const events: LongWaitEvent[] = [];
    scheduler.onLongWait((e) => events.push(e));
    submit('command', 1000);
    const slow = submit('command', 1000, { maxWaitMs: 5_000 }); // starts in 60 s
    clock.advance(0);
    assert.equal(events.length, 1);
    slow.keepWaiting();
    submit('command', 10); // a change triggers a re-estimate
    clock.advance(1000);
    assert.equal(events.length, 2, 'still 59 s away, more than 5 s from now');
  });

  it("estimates each queued request's position and start from the refill of its pool", () => {
    const { clock, submit } = setup(tight);
    submit('command', 10_000);
    const a = submit('command', 2000);
    const b = submit('command', 3000);
    const c = submit('background', 1000);
    const now = clock.now();
    assert.deepEqual(
      [a, b, c].map((h) => h.progress().position),
      [0, 1, 2],
    );
    assert.equal(a.progress().estimatedStartMs, now + 12_000);
    assert.equal(b.progress().estimatedStartMs, now + 30_000);
    assert.equal(c.progress().estimatedStartMs, now + 36_000);
  });

  it('reports a snapshot: per-pool limits and remaining, lanes, next retry', async () => {
    const { clock, submit, scheduler, transport } = setup(tight);
    submit('command', 10_000);
    submit('background', 1000);
    submit('interactive', 1000);
    const snap = scheduler.snapshot();
    assert.deepEqual(snap.queued, { interactive: 1, command: 0, background: 1 });
    assert.equal(snap.inFlight, 1);
    const pool = snap.pools[0]!;
    assert.equal(pool.state, 'throttled');
    assert.equal(pool.dimensions.inputTokens.limit, 10_000);
    assert.equal(pool.dimensions.inputTokens.remaining, 0);
    assert.equal(pool.dimensions.inputTokens.resetAtMs, clock.now() + 60_000);
    assert.equal(pool.headroom, 0);
    transport.nth(0).answer(success('ok', usage(10_000, 5)));
    await flush();
  });

  it('emits a change event on every state change', async () => {
    const { submit, scheduler, transport } = setup();
    let changes = 0;
    const off = scheduler.onChange(() => changes++);
    submit('command', 10);
    const afterSubmit = changes;
    assert.ok(afterSubmit >= 2, 'queued and dispatched');
    transport.nth(0).answer(success('ok', usage(10, 1)));
    await flush();
    assert.ok(changes > afterSubmit);
    off();
    submit('command', 10);
    assert.equal(scheduler.snapshot().inFlight, 1);
  });

  it('dispose fails everything pending with a reason and leaves no timers', async () => {
    const { clock, submit, scheduler } = setup(tight);
    submit('command', 10_000);
    const queued = submit('command', 5000);
    scheduler.dispose();
    const r = await queued.result;
    assert.ok(r.status === 'failed' && r.reason.kind === 'shutdown');
    assert.equal(clock.pendingTimers, 0);
  });
});
