import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dimensionWaitMs, type DimensionDemand } from '../../../src/pacer/limits/dimensionWait';
import { TokenBucket } from '../../../src/pacer/limits/tokenBucket';

// 4 input tokens a ms: a bucket of 8,000, emptied at t = 0.
function emptyBucket(): TokenBucket {
  const bucket = new TokenBucket(8_000, 240_000, 0);
  bucket.take(8_000, 0);
  return bucket;
}

const DEMAND: DimensionDemand = {
  dimension: 'inputTokens',
  cost: 2_000,
  reserve: 0,
  maxReserveShare: 0.5,
  isDrawEstimated: false,
  debit: 0,
};

describe('dimensionWaitMs', () => {
  it('waits for the cost alone when nothing else is known', () => {
    assert.equal(dimensionWaitMs(emptyBucket(), DEMAND, 0), 500);
  });

  it('keeps one rounding step in hand while others draw at an estimated rate, not where the net refill is bracketed', () => {
    assert.equal(dimensionWaitMs(emptyBucket(), { ...DEMAND, isDrawEstimated: true }, 0), 750);
    // A bracketed refill is already net of others: the bucket's own rate leaves them their draw.
    assert.equal(dimensionWaitMs(emptyBucket(), { ...DEMAND, isDrawEstimated: false }, 0), 500);
  });

  it('leaves the interactive reserve, but never so much that a request waits for a full bucket', () => {
    assert.equal(dimensionWaitMs(emptyBucket(), { ...DEMAND, reserve: 1_000 }, 0), 750);
    // 7,000 + a 1,000 step fill the bucket: no reserve is held.
    assert.equal(dimensionWaitMs(emptyBucket(), { ...DEMAND, cost: 7_000, reserve: 1_000 }, 0), 1_750);
  });
});
