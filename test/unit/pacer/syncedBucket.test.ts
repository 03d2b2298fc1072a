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
    b.sync(0, 1, { lowest: 0, band: 1 }, 0);
    assert.equal(b.paced.levelAt(0), 0);
  });

  it('keeps its own prediction while the reading allows it, the twin too', () => {
    const b = bucket();
    b.sync(0, 0, { lowest: 0, band: 0 }, 0);
    b.take(0, 500); // level 0.5 by refill
    const result = b.sync(0, 1, { lowest: 0, band: 1 }, 500);
    assert.equal(b.paced.levelAt(500), 0.5);
    assert.deepEqual(result, { predicted: 0.5, level: 0.5, spilled: 0 });
  });

  it('moves to the nearer edge when the reading rules the prediction out', () => {
    const b = bucket();
    b.sync(0, 0, { lowest: 0, band: 0 }, 0);
    const twin = b.sync(-1, 0.5, { lowest: -1, band: 0.5 }, 1000); // predicted 1, allowed [-1, -0.5]
    assert.equal(b.paced.levelAt(1000), -0.5);
    assert.deepEqual(twin, { predicted: 1, level: -0.5, spilled: 0 });
    b.sync(1.5, 0.2, { lowest: 1.5, band: 0.2 }, 1000); // predicted -0.5, allowed [1.5, 1.7]
    assert.equal(b.paced.levelAt(1000), 1.5);
  });

  it('admission and the twin each keep their own band: a point reading for admission moves it, not the twin', () => {
    const b = bucket();
    b.sync(0, 0, { lowest: 0, band: 0 }, 0);
    const twin = b.sync(0, 0, { lowest: 0, band: 1 }, 800); // predicted 0.8: admission to 0, the twin keeps 0.8
    assert.equal(b.paced.levelAt(800), 0);
    assert.equal(twin.level, 0.8);
  });

  it("lowers admission's level to a refusal's guess, never raises it, and leaves the twin to the readings", () => {
    const b = bucket();
    b.sync(1, 0, { lowest: 1, band: 0 }, 0);
    b.lowerTo(-3, 0);
    assert.equal(b.paced.levelAt(0), -3);
    b.lowerTo(0.5, 0);
    assert.equal(b.paced.levelAt(0), -3);
    // The twin still predicts from its last reading (1, a second of refill later 2).
    assert.equal(b.sync(0, 0, { lowest: 0, band: 5 }, 1000).predicted, 2);
  });

  it('takes the twin to a point reading where it is given one (the likeliest level), away from admission', () => {
    const b = bucket();
    b.sync(0, 0, { lowest: 0, band: 0 }, 0);
    const twin = b.sync(0, 0, { lowest: 0.5, band: 0 }, 500); // predicted 0.5: admission to 0, the twin to 0.5
    assert.equal(b.paced.levelAt(500), 0);
    assert.deepEqual(twin, { predicted: 0.5, level: 0.5, spilled: 0 });
  });

  it('a refusal lowers the twin to its ceiling when it predicted more, and never raises it', () => {
    const b = bucket();
    b.sync(1, 0, { lowest: 1, band: 0 }, 0);
    assert.deepEqual(b.refused(0.25, 0), { predicted: 1, level: 0.25, spilled: 0 });
    assert.deepEqual(b.refused(0.5, 0), { predicted: 0.25, level: 0.25, spilled: 0 });
    assert.equal(b.paced.levelAt(0), 1);
  });

  it("the twin's corrections add up to what others drew, within one reading's width", () => {
    // The server refills 1 per second; each second we take 0.7 and another client 0.3; readings are
    // floored (a band of one step), so the server's steady 0.5 always reads 0.
    const b = bucket();
    let server = 0.5;
    b.sync(0, 0, { lowest: 0, band: 0 }, 0);
    let drawn = 0;
    for (let t = 1000; t <= 20_000; t += 1000) {
      server = Math.min(2, server + 1) - 0.7 - 0.3;
      b.take(0.7, t);
      const { predicted, level } = b.sync(Math.floor(server), 0, { lowest: Math.floor(server), band: 1 }, t);
      drawn += predicted - level;
    }
    assert.ok(Math.abs(drawn - 0.3 * 20) <= 1 + 1e-9, `drew ${drawn}`);
  });

  it('alone, with the same floored readings, the twin draws no one', () => {
    const b = bucket();
    let server = 0.5;
    b.sync(0, 0, { lowest: 0, band: 0 }, 0);
    let drawn = 0;
    for (let t = 1000; t <= 20_000; t += 1000) {
      server = Math.min(2, server + 1) - 1;
      b.take(1, t);
      const { predicted, level } = b.sync(Math.floor(server), 0, { lowest: Math.floor(server), band: 1 }, t);
      drawn += predicted - level;
    }
    assert.equal(drawn, 0);
  });
});
