import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSystemClock } from '../../../src/pacer/clock';
import { waitUntil } from '../../support/waitUntil';

// The one place real time is used on purpose: this is the adapter from the engine's Clock to Node's
// timers. Delays are a few milliseconds; nothing asserts how late a timer may be.
describe('createSystemClock', () => {
  it('reads the wall clock to within a millisecond, with sub-millisecond steps', () => {
    const clock = createSystemClock();
    let fractions = 0;
    for (let i = 0; i < 1_000; i++) {
      const before = Date.now();
      const now = clock.now();
      const after = Date.now();
      assert.ok(now >= before - 1 && now <= after + 1, `now ${now} between ${before} and ${after}`);
      if (!Number.isInteger(now)) fractions += 1;
    }
    assert.ok(fractions > 500, `only ${fractions} of 1,000 readings had a fraction of a millisecond`);
  });

  it('never fires a timer before it is due, near (under 2 ms) or far', async () => {
    const clock = createSystemClock();
    const fired: { dueMs: number; atMs: number }[] = [];
    for (const delayMs of [0, 0.3, 1.5, 2.5, 7]) {
      const dueMs = clock.now() + delayMs;
      clock.setTimer(() => fired.push({ dueMs, atMs: clock.now() }), delayMs);
    }
    await waitUntil(() => fired.length, { what: 'five timers', isDone: (n) => n === 5 });
    for (const { dueMs, atMs } of fired) assert.ok(atMs >= dueMs, `fired at ${atMs}, due ${dueMs}`);
  });

  it('a cleared timer never fires, whether it sleeps on a timeout or yields on setImmediate', async () => {
    const clock = createSystemClock();
    const fired: string[] = [];
    const near = clock.setTimer(() => fired.push('near'), 0.5);
    const far = clock.setTimer(() => fired.push('far'), 5);
    clock.clearTimer(near);
    clock.clearTimer(far);
    clock.clearTimer({ id: 12_345 }); // unknown handles are ignored
    clock.setTimer(() => fired.push('witness'), 10);
    await waitUntil(() => fired.length, { what: 'the witness timer', isDone: (n) => n > 0 });
    assert.deepEqual(fired, ['witness']);
  });

  it('an absurd delay stays a wait instead of overflowing into an immediate fire', async () => {
    const clock = createSystemClock();
    const fired: string[] = [];
    const absurd = clock.setTimer(() => fired.push('absurd'), 1e15);
    clock.setTimer(() => fired.push('witness'), 3);
    await waitUntil(() => fired.length, { what: 'the witness timer', isDone: (n) => n > 0 });
    clock.clearTimer(absurd);
    assert.deepEqual(fired, ['witness']);
  });
});
