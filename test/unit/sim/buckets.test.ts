import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../../sim/buckets';
import { rfc3339 } from '../../../sim/headers';

void describe('TokenBucket', () => {
  void it('starts full and refills continuously at limit/60 per second, capped at capacity', () => {
    const bucket = new TokenBucket(600, 60, 0);
    assert.equal(bucket.levelAt(0), 600);
    bucket.debit(600, 0);
    assert.equal(bucket.levelAt(2500), 25);
    assert.equal(bucket.secondsUntil(600, 2500), 57.5);
    assert.equal(bucket.levelAt(3_600_000), 600);
  });

  void it('has capacity limit × burstWindowSec / 60', () => {
    const bucket = new TokenBucket(600, 6, 0);
    assert.equal(bucket.capacity, 60);
    assert.equal(bucket.levelAt(60_000), 60);
  });

  void it('may go negative and refills from there; refunds stop at capacity', () => {
    const bucket = new TokenBucket(60, 60, 0);
    bucket.debit(70, 0);
    assert.equal(bucket.levelAt(5000), -5);
    bucket.refund(1000, 5000);
    assert.equal(bucket.levelAt(5000), 60);
  });

  void it('loses the competitor share of its refill', () => {
    const bucket = new TokenBucket(60, 60, 0);
    bucket.setCompetitorShare(0.25, 0);
    bucket.drain(0);
    assert.equal(bucket.ratePerSec, 0.75);
    assert.equal(bucket.levelAt(4000), 3);
  });
});

void describe('rfc3339', () => {
  void it('formats UTC with whole seconds, truncating', () => {
    assert.equal(rfc3339(Date.UTC(2026, 0, 1, 12, 30, 5, 999)), '2026-01-01T12:30:05Z');
  });
});
