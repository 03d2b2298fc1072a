import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AtLimitTimer, spanByDay } from '../../../src/usage/model/atLimitTimer';
import { localDay, nextLocalMidnight } from '../../../src/usage/model/usageLedger';
import { ManualClock } from '../../support/manualClock';

function setup(): { clock: ManualClock; timer: AtLimitTimer; spans: number[]; state: { atLimit: boolean } } {
  const clock = new ManualClock();
  const state = { atLimit: false };
  const spans: number[] = [];
  const timer = new AtLimitTimer(
    clock,
    () => state.atLimit,
    (start, end) => spans.push(end - start),
  );
  return { clock, timer, spans, state };
}

describe('AtLimitTimer', () => {
  it('counts a three-minute wait that began within a second of the previous change (the "43 s" report)', () => {
    const { clock, timer, spans, state } = setup();
    timer.changed(); // the previous answer finished: sampled, not at the limit
    clock.advance(200);
    state.atLimit = true; // the next request queues behind the limit; the scheduler then sleeps
    timer.changed();
    clock.advance(180_000);
    state.atLimit = false; // refilled: the request is sent
    timer.changed();
    // Sampling once per second dropped the change that started the wait, so it counted 0 s.
    assert.deepEqual(spans, [180_000 - 800]);
  });

  it('reports the episode still going on, so a report opened during a wait includes it', () => {
    const { clock, timer, spans, state } = setup();
    state.atLimit = true;
    timer.changed();
    clock.advance(90_000);
    assert.equal(timer.openMs(), 90_000);
    assert.deepEqual(spans, []);
  });

  it('samples a burst of changes once per interval and never drops the last one', () => {
    const { clock, timer, spans, state } = setup();
    let reads = 0;
    const counted = new AtLimitTimer(
      clock,
      () => (reads++, state.atLimit),
      () => {},
    );
    for (let i = 0; i < 10; i++) {
      counted.changed();
      clock.advance(50);
    }
    clock.advance(1_000);
    assert.equal(reads, 2);
    state.atLimit = true;
    timer.changed();
    clock.advance(5_000);
    state.atLimit = false;
    timer.changed();
    assert.deepEqual(spans, [5_000]);
  });

  it('closes an open episode when disposed and cancels its pending sample', () => {
    const { clock, timer, spans, state } = setup();
    state.atLimit = true;
    timer.changed();
    clock.advance(100);
    timer.changed();
    clock.advance(2_000);
    timer.dispose();
    assert.deepEqual(spans, [2_100]);
    assert.equal(clock.pendingTimers, 0);
  });
});

describe('spanByDay', () => {
  it('splits an episode across local midnight', () => {
    const offset = -60; // UTC+1
    const start = Date.UTC(2026, 0, 1, 22, 50); // 23:50 local
    const parts = spanByDay(
      start,
      start + 20 * 60_000,
      (ms) => localDay(ms, offset),
      (ms) => nextLocalMidnight(ms, offset),
    );
    assert.deepEqual(parts, [
      ['2026-01-01', 10 * 60_000],
      ['2026-01-02', 10 * 60_000],
    ]);
  });
});
