import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setup } from './schedulerHarness';
import { failure, flush, success, usage } from './scriptedTransport';

const labels = (t: ReturnType<typeof setup>['transport']): string[] =>
  t.attempts.map((a) => a.attempt.requestId);

describe('Scheduler priority', () => {
  it('serves interactive before command before background, FIFO inside a lane', async () => {
    const { transport, scheduler } = setup({ maxInFlight: 1 });
    const ids: Record<string, string> = {};
    const sub = (name: string, lane: 'interactive' | 'command' | 'background'): void => {
      ids[
        scheduler.submit({
          lane,
          request: { model: 'claude-sonnet-4-6', maxTokens: 10, messages: [{ role: 'user', content: name }] },
          label: name,
        }).id
      ] = name;
    };
    sub('b0', 'background');
    sub('b1', 'background');
    sub('c1', 'command');
    sub('i1', 'interactive');
    sub('c2', 'command');
    sub('i2', 'interactive');
    for (let i = 0; i < 6; i++) {
      transport.open[0]!.answer(success('ok', usage(10, 1)));
      await flush();
    }
    assert.deepEqual(
      labels(transport).map((id) => ids[id]),
      ['b0', 'i1', 'i2', 'c1', 'c2', 'b1'],
    );
  });

  it('ages background work so endless interactive load cannot starve it', async () => {
    const { clock, transport, submit, start } = setup({ maxInFlight: 1, agingStepMs: 10_000 });
    submit('interactive', 10);
    const background = submit('background', 10);
    let backgroundStartedAt: number | undefined;
    for (let second = 0; second < 60 && backgroundStartedAt === undefined; second++) {
      submit('interactive', 10); // always another interactive request waiting
      clock.advance(1000);
      const open = transport.open[0]!;
      if (open.attempt.requestId === background.id) backgroundStartedAt = clock.now();
      open.answer(success('ok', usage(10, 1)));
      await flush();
    }
    if (backgroundStartedAt === undefined) {
      backgroundStartedAt = transport.attempts.some((a) => a.attempt.requestId === background.id)
        ? clock.now()
        : undefined;
    }
    assert.ok(backgroundStartedAt !== undefined, 'background request started');
    assert.ok(
      backgroundStartedAt - start <= 21_000,
      `started after ${backgroundStartedAt - start} ms, bound is 2 aging steps`,
    );
  });

  it('backfills a later request of another pool while the head waits, without delaying the head', async () => {
    const { clock, transport, submit, start } = setup({
      limits: { '*': { requests: 100, inputTokens: 10_000, outputTokens: 1e6 } },
    });
    submit('command', 10_000); // empties the Sonnet pool
    const head = submit('command', 6000); // waits 36 s
    const otherPool = submit('command', 1000, { model: 'claude-opus-4-6' });
    const samePoolSmall = submit('command', 100);
    const started = (id: string): boolean => transport.attempts.some((a) => a.attempt.requestId === id);
    assert.equal(started(otherPool.id), true, 'another pool: starts now');
    assert.equal(started(samePoolSmall.id), false, 'same pool: would delay the head, so it waits');
    assert.equal(clock.nextDueMs(), start + 36_000);
    clock.advance(36_000);
    await flush();
    assert.equal(started(head.id), true, 'the head starts exactly when it would have without backfill');
    assert.equal(started(samePoolSmall.id), false);
    clock.advance(600);
    assert.equal(started(samePoolSmall.id), true);
  });

  it('backfills the same pool while the head waits for a retry backoff the filler cannot delay', async () => {
    const { clock, transport, submit } = setup({ maxInFlight: 10 });
    const head = submit('command', 1000);
    transport
      .nth(0)
      .answer(failure({ kind: 'overloaded', status: 529, message: 'Overloaded', midStream: false }));
    await flush();
    const small = submit('background', 100);
    assert.equal(
      transport.open.at(-1)?.attempt.requestId,
      small.id,
      'the small request went while the head waits 500 ms',
    );
    clock.advance(500);
    assert.equal(
      transport.open.some((a) => a.attempt.requestId === head.id),
      true,
    );
  });

  it('keeps a concurrency slot for a waiting head instead of filling the last one', () => {
    const { transport, submit } = setup({
      maxInFlight: 2,
      limits: { '*': { requests: 100, inputTokens: 10_000, outputTokens: 1e6 } },
    });
    submit('command', 10_000);
    submit('command', 6000); // head, waits for tokens
    submit('command', 100, { model: 'claude-opus-4-6' }); // other pool, but would take the last slot
    assert.equal(transport.attempts.length, 1);
  });

  it('caps requests in flight', async () => {
    const { transport, submit } = setup({ maxInFlight: 3 });
    for (let i = 0; i < 5; i++) submit('command', 10);
    assert.equal(transport.open.length, 3);
    transport.open[0]!.answer(success('ok', usage(10, 1)));
    await flush();
    assert.equal(transport.open.length, 3);
    assert.equal(transport.attempts.length, 4);
  });
});
