import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExactTokenCounter } from '../../../src/pacer/scheduling/exactTokenCounter';
import { ManualClock } from '../../support/manualClock';
import { Scheduler } from '../../../src/pacer/scheduling/scheduler';
import { key, request } from './schedulerHarness';
import { flush, headers, ScriptedTransport } from './scriptedTransport';

describe('ExactTokenCounter and exact counts in the scheduler', () => {
  it('prices a request with the exact count before queueing it, in its original place', async () => {
    const clock = new ManualClock();
    const transport = new ScriptedTransport();
    const calls: string[] = [];
    let release!: () => void;
    const counter = new ExactTokenCounter(async (r) => {
      const content = r.messages[0]?.content;
      calls.push(typeof content === 'string' ? content : '');
      await new Promise<void>((resolve) => (release = resolve));
      return {
        inputTokens: 7000,
        headers: headers({
          'anthropic-ratelimit-requests-limit': '100',
          'anthropic-ratelimit-requests-remaining': '99',
        }),
      };
    }, clock);
    const scheduler = new Scheduler({
      clock,
      random: () => 0.5,
      transport,
      exactCounter: counter,
      options: { limits: { '*': { requests: 100, inputTokens: 10_000, outputTokens: 1e6 } } },
    });
    scheduler.setKeys([key('k1')]);
    scheduler.submit({ lane: 'command', request: request() });
    assert.equal(transport.attempts.length, 0, 'held out of the queue while counting');
    release();
    await flush();
    assert.equal(transport.attempts.length, 1);
    assert.equal(
      scheduler.snapshot().pools[0]?.dimensions.inputTokens.remaining,
      3000,
      'reserved the exact 7,000, not the estimate',
    );
    assert.deepEqual(calls, ['hello']);
  });

  it('falls back to the estimate when the count fails or its own limit would make the request wait', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const failing = new ExactTokenCounter(() => {
      calls++;
      return Promise.reject(new Error('down'));
    }, clock);
    assert.equal(await failing.count(request()), undefined);
    const limited = new ExactTokenCounter(() => {
      calls++;
      return Promise.resolve({
        inputTokens: 5,
        headers: headers({
          'anthropic-ratelimit-requests-limit': '1',
          'anthropic-ratelimit-requests-remaining': '0',
        }),
      });
    }, clock);
    assert.equal(await limited.count(request()), 5);
    assert.equal(
      await limited.count(request()),
      undefined,
      'its own bucket is empty for a minute: no wait, estimate instead',
    );
    assert.equal(calls, 2);
  });

  it('a request cancelled while being counted ends cancelled and is never sent', async () => {
    const clock = new ManualClock();
    const transport = new ScriptedTransport();
    let release!: () => void;
    const counter = new ExactTokenCounter(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { inputTokens: 10 };
    }, clock);
    const scheduler = new Scheduler({ clock, random: () => 0.5, transport, exactCounter: counter });
    scheduler.setKeys([key('k1')]);
    const handle = scheduler.submit({ lane: 'command', request: request() });
    handle.cancel();
    release();
    await flush();
    assert.equal((await handle.result).status, 'cancelled');
    assert.equal(transport.attempts.length, 0);
  });

  it('a counter that rejects does not strand the request: it is queued on the estimate and sent', async () => {
    const clock = new ManualClock();
    const transport = new ScriptedTransport();
    // The counter promises never to reject; the scheduler must not depend on that promise.
    const failing = {
      count: () => Promise.reject(new Error('count failed')),
    } as unknown as ExactTokenCounter;
    const scheduler = new Scheduler({ clock, random: () => 0.5, transport, exactCounter: failing });
    scheduler.setKeys([key('k1')]);
    scheduler.submit({ lane: 'command', request: request() });
    await flush();
    assert.equal(transport.attempts.length, 1, 'the request left the counting stage');
  });
});
