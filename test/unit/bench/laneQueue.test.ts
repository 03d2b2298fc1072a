import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { laneQueueMs } from '../../../bench/metrics';

interface Arrival {
  readonly submittedMs: number;
  readonly slotMs: number;
  readonly pool: string;
}

const queue = (arrivals: readonly Arrival[]) =>
  laneQueueMs(
    arrivals,
    (a) => a.slotMs,
    (a) => a.pool,
  );

describe('laneQueueMs: the wait interactive requests would have alone in their lane', () => {
  it('is one refill slot each when they come one at a time', () => {
    const arrivals = [0, 50, 100, 150].map((submittedMs) => ({ submittedMs, slotMs: 20, pool: 'sonnet' }));
    assert.deepEqual(queue(arrivals), { p50: 20, p95: 20, max: 20 });
  });

  it('queues a burst behind itself, in arrival order whatever the input order', () => {
    const burst = [4, 0, 2, 1, 3].map((i) => ({ submittedMs: i * 0.1, slotMs: 10, pool: 'sonnet' }));
    const { max, p50 } = queue(burst);
    // The last of five waits four slots for the others and one for itself, less its 0.4 ms later arrival.
    assert.equal(max, 50);
    assert.equal(p50, 30);
  });

  it('keeps pools apart: a request of another model class does not queue behind this one', () => {
    const arrivals = [
      { submittedMs: 0, slotMs: 30, pool: 'sonnet' },
      { submittedMs: 0, slotMs: 10, pool: 'haiku' },
    ];
    assert.deepEqual(queue(arrivals), { p50: 10, p95: 30, max: 30 });
  });
});
