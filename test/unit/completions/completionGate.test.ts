import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompletionGate } from '../../../src/completions/model/completionGate';
import { ManualClock } from '../../support/manualClock';
import { flush } from '../../support/submitAndDrain';

describe('CompletionGate', () => {
  it('lets one request through per pause: earlier keystrokes go stale', async () => {
    const clock = new ManualClock();
    const gate = new CompletionGate(clock, 300);
    const outcomes: Array<AbortSignal | undefined> = [];
    for (let i = 0; i < 5; i++) {
      void gate.settle().then((s) => outcomes.push(s));
      clock.advance(120);
    }
    await flush(5);
    assert.equal(outcomes.length, 4, 'four superseded at once');
    assert.ok(outcomes.every((s) => s === undefined));
    clock.advance(299 - 120);
    await flush(5);
    assert.equal(outcomes.length, 4, 'not before the debounce');
    clock.advance(1);
    await flush(5);
    assert.equal(outcomes.length, 5);
    assert.equal((outcomes[4] as AbortSignal | undefined)?.aborted, false);
    assert.equal(clock.pendingTimers, 0);
  });

  it('a newer keystroke aborts the signal of the request already sent', async () => {
    const clock = new ManualClock();
    const gate = new CompletionGate(clock, 0);
    const first = gate.settle();
    clock.advance(0);
    const signal = await first;
    assert.ok(signal && !signal.aborted);
    void gate.settle();
    assert.equal(signal.aborted, true);
  });

  it("the editor's cancellation makes a pending keystroke stale and clears its timer", async () => {
    const clock = new ManualClock();
    const gate = new CompletionGate(clock, 300);
    const token = new AbortController();
    const pending = gate.settle(token.signal);
    token.abort();
    assert.equal(await pending, undefined);
    assert.equal(clock.pendingTimers, 0);
    const cancelled = new AbortController();
    cancelled.abort();
    assert.equal(await gate.settle(cancelled.signal), undefined, 'already cancelled');
    const last = gate.settle();
    gate.cancel();
    assert.equal(await last, undefined);
  });
});
