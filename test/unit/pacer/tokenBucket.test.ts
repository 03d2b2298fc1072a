import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../../src/pacer/limits/tokenBucket';

describe('TokenBucket', () => {
  it('starts full and refills continuously, not in steps', () => {
    const bucket = new TokenBucket(60, 60, 0);
    bucket.take(60, 0);
    assert.equal(bucket.levelAt(0), 0);
    assert.equal(bucket.levelAt(500), 0.5);
    assert.equal(bucket.levelAt(30_000), 30);
    assert.equal(bucket.levelAt(120_000), 60, 'capped at capacity');
  });

  it('answers the exact wait in ms until a cost fits', () => {
    const bucket = new TokenBucket(30_000, 30_000, 0); // 0.5 token per ms
    bucket.take(30_000, 0);
    assert.equal(bucket.waitMs(0, 0), 0);
    assert.equal(bucket.waitMs(1000, 0), 2000);
    assert.equal(bucket.waitMs(1000, 1500), 500);
    assert.equal(bucket.waitMs(1000, 2000), 0);
  });

  it('says Infinity for a cost above capacity or with no refill', () => {
    assert.equal(new TokenBucket(100, 100, 0).waitMs(101, 0), Number.POSITIVE_INFINITY);
    const dry = new TokenBucket(100, 0, 0);
    dry.take(100, 0);
    assert.equal(dry.waitMs(1, 10_000), Number.POSITIVE_INFINITY);
  });

  it('lets a reconciliation drive the level negative and waits it out', () => {
    const bucket = new TokenBucket(60, 60, 0);
    bucket.take(90, 0);
    assert.equal(bucket.levelAt(0), -30);
    assert.equal(bucket.waitMs(1, 0), 31_000);
  });

  it('computes the wait after a hypothetical debit without changing the level', () => {
    const bucket = new TokenBucket(60, 60, 0);
    bucket.take(60, 0);
    assert.equal(bucket.waitMs(10, 0, 5), 15_000);
    assert.equal(bucket.levelAt(0), 0);
  });

  it('give is capped at capacity and reshape keeps the level within the new capacity', () => {
    const bucket = new TokenBucket(100, 60, 0);
    bucket.give(50, 0);
    assert.equal(bucket.levelAt(0), 100);
    bucket.reshape(40, 60, 0);
    assert.equal(bucket.levelAt(0), 40);
    assert.equal(bucket.capacity, 40);
  });
});
