import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SyncedBucket } from '../../../src/pacer/limits/syncedBucket';

// 60 per minute: one per second, a burst of 2.
function bucket(): SyncedBucket {
  const b = new SyncedBucket(0);
  b.reshape(2, 60, 0);
  return b;
}

describe('SyncedBucket: a reading read as an interval', () => {
  it('takes the first reading at its lower edge: before it the level was an assumption, not accounting', () => {
    const b = bucket();
    b.take(1, 0);
    b.sync(0, 1, 0);
    assert.equal(b.paced.levelAt(0), 0);
  });

  it('keeps its own prediction while the reading allows it, and reports the twin at the lower edge', () => {
    const b = bucket();
    b.sync(0, 0, 0);
    b.take(0, 500); // level 0.5 by refill
    const result = b.sync(0, 1, 500);
    assert.equal(b.paced.levelAt(500), 0.5);
    assert.deepEqual(result, { predicted: 0.5, level: 0, spilled: 0 });
  });

  it('moves to the nearer edge when the reading rules the prediction out', () => {
    const b = bucket();
    b.sync(0, 0, 0);
    b.sync(-1, 0.5, 1000); // predicted 1, allowed [-1, -0.5]
    assert.equal(b.paced.levelAt(1000), -0.5);
    b.sync(1.5, 0.2, 1000); // predicted -0.5, allowed [1.5, 1.7]
    assert.equal(b.paced.levelAt(1000), 1.5);
  });

  it("lowers admission's level to a refusal's guess, never raises it, and leaves the twin to the readings", () => {
    const b = bucket();
    b.sync(1, 0, 0);
    b.lowerTo(-3, 0);
    assert.equal(b.paced.levelAt(0), -3);
    b.lowerTo(0.5, 0);
    assert.equal(b.paced.levelAt(0), -3);
    // The twin still predicts from its last reading (1, a second of refill later 2).
    assert.equal(b.sync(0, 0, 1000).predicted, 2);
  });

  it('the twin keeps the lower edges, so its corrections add up to what the readings moved', () => {
    const b = bucket();
    b.sync(0, 0, 0);
    // The paced bucket keeps 0.9 of a hidden step; the twin restarts from 0 each time.
    const first = b.sync(0, 1, 900);
    const second = b.sync(0, 1, 1800);
    assert.deepEqual([first.predicted, second.predicted], [0.9, 0.9]);
    assert.equal(b.paced.levelAt(1800), 1);
  });
});
