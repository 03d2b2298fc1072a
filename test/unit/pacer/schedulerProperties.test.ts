import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ManualClock } from '../../support/manualClock';
import { Scheduler } from '../../../src/pacer/scheduling/scheduler';
import type { Lane, RequestHandle, RequestResult } from '../../../src/pacer/scheduling/schedulerTypes';
import { assertPacingBound, flush, submitAndDrain } from '../../support/submitAndDrain';
import { failure, headers, ScriptedTransport, success, usage } from './scriptedTransport';
import { key } from './schedulerHarness';
import { TruthfulServer } from './truthfulServer';

describe('Scheduler properties', () => {
  it('with truthful headers, never sends more than capacity + refill × Δt in any window, and draws no 429', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            gapMs: fc.integer({ min: 0, max: 3000 }),
            input: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 3000 })),
            lane: fc.constantFrom<Lane>('interactive', 'command', 'background'),
          }),
          { minLength: 8, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 2000 }),
        async (jobs, latency) => {
          const clock = new ManualClock();
          const limits = { requests: 5, input: 6000 };
          const server = new TruthfulServer(clock, limits, () => latency);
          // The pacer knows nothing in advance: it learns the limits from the first response's headers.
          const scheduler = new Scheduler({
            clock,
            random: () => 0.5,
            transport: server,
            options: { maxInFlight: 4, limits: {} },
          });
          scheduler.setKeys([key('k1')]);
          const results = await submitAndDrain(clock, scheduler, jobs, { maxTimers: 400 });
          assert.ok(
            results.every((r) => r.status === 'completed'),
            'everything completed',
          );
          assert.equal(server.rejected, 0, 'no 429 with truthful headers');
          assertPacingBound(server.sent, limits);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('under random submit / cancel / response / fault / key change / time advance, every request ends exactly once', async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('submit' as const),
        lane: fc.constantFrom<Lane>('interactive', 'command', 'background'),
        input: fc.integer({ min: 1, max: 20_000 }),
      }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
      fc.record({
        kind: fc.constant('answer' as const),
        pick: fc.nat(),
        outcome: fc.constantFrom(
          'ok',
          '429',
          '529',
          '401',
          'midstream',
          'partial',
          '400',
          'spend',
          'abort-echo',
        ),
      }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
      fc.record({
        kind: fc.constant('keys' as const),
        which: fc.constantFrom(['a'], ['a', 'b'], ['b'], [], ['a', 'b', 'c']),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 80 }), async (ops) => {
        const clock = new ManualClock();
        const transport = new ScriptedTransport();
        const scheduler = new Scheduler({
          clock,
          random: () => 0.3,
          transport,
          options: {
            maxInFlight: 3,
            limits: { '*': { requests: 20, inputTokens: 30_000, outputTokens: 1e6 } },
            backoff: { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 3 },
          },
        });
        scheduler.setKeys([key('a')]);
        const handles: RequestHandle[] = [];
        const settled = new Map<string, RequestResult>();
        const cancelledEarly = new Set<string>();
        const okAnswered = new Set<string>();
        const outputDeliveredAt = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'submit') {
            const h = scheduler.submit({
              lane: o.lane,
              inputTokens: o.input,
              request: {
                model: 'claude-sonnet-4-6',
                maxTokens: 10,
                messages: [{ role: 'user', content: 'q' }],
              },
            });
            handles.push(h);
            void h.result.then((r) => settled.set(h.id, r));
          } else if (o.kind === 'cancel' && handles.length > 0) {
            const h = handles[o.pick % handles.length]!;
            if (!settled.has(h.id)) cancelledEarly.add(h.id);
            h.cancel();
          } else if (o.kind === 'answer' && transport.open.length > 0) {
            const pending = transport.open[o.pick % transport.open.length]!;
            const id = pending.attempt.requestId;
            const e = (kind: Parameters<typeof failure>[0]['kind'], status?: number, midStream = false) => ({
              kind,
              message: kind,
              midStream,
              ...(status ? { status } : {}),
            });
            if (o.outcome === 'partial') {
              pending.attempt.onText('part');
              if (!settled.has(id)) outputDeliveredAt.set(id, transport.attempts.length);
            }
            if (o.outcome === 'ok' && !settled.has(id)) okAnswered.add(id);
            pending.answer(
              o.outcome === 'ok'
                ? success('done', usage(10, 2))
                : o.outcome === '429'
                  ? failure(e('rate_limited', 429), headers({ 'retry-after': '2' }))
                  : o.outcome === '529'
                    ? failure(e('overloaded', 529))
                    : o.outcome === '401'
                      ? failure(e('auth', 401))
                      : o.outcome === 'midstream'
                        ? failure(e('overloaded', undefined, true))
                        : o.outcome === 'partial'
                          ? failure(e('connection', undefined, true), undefined, 'part')
                          : o.outcome === '400'
                            ? failure(e('invalid_request', 400))
                            : o.outcome === 'spend'
                              ? failure(e('spend_limit', 429))
                              : failure(e('aborted')),
            );
          } else if (o.kind === 'advance') {
            clock.advance(o.ms);
          } else if (o.kind === 'keys') {
            scheduler.setKeys(o.which.map((k) => key(k)));
          }
          await flush();
        }
        // Drain: a healthy key, blocks lifted, every attempt answered with success, time passing.
        scheduler.setKeys([key('z')]);
        scheduler.retryNow();
        for (let round = 0; round < 200 && settled.size < handles.length; round++) {
          for (const p of transport.open) {
            if (!settled.has(p.attempt.requestId)) okAnswered.add(p.attempt.requestId);
            p.answer(success('done', usage(10, 2)));
          }
          await flush();
          const due = clock.nextDueMs();
          if (due !== undefined) clock.advanceTo(due);
          await flush();
        }
        assert.equal(settled.size, handles.length, 'every request ended');
        for (const h of handles) {
          const r = settled.get(h.id)!;
          if (cancelledEarly.has(h.id))
            assert.equal(r.status, 'cancelled', 'cancelled before it ended: ends cancelled');
          if (r.status === 'completed')
            assert.ok(okAnswered.has(h.id) && r.text === 'done', 'completed only from a successful answer');
          if (r.status === 'failed') assert.ok(r.reason.message.length > 0, 'a failure carries a reason');
          const deliveredAt = outputDeliveredAt.get(h.id);
          if (deliveredAt !== undefined) {
            const later = transport.attempts.slice(deliveredAt).filter((a) => a.attempt.requestId === h.id);
            assert.equal(later.length, 0, 'never re-sent after output was delivered');
            assert.ok(r.status !== 'completed');
          }
        }
        assert.equal(scheduler.snapshot().inFlight, 0);
        scheduler.dispose();
        assert.equal(clock.pendingTimers, 0);
      }),
      { numRuns: 150 },
    );
  });
});
