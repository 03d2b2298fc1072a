import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refusalLevel, type Refusal } from '../../../src/pacer/limits/refusalLevel';

// 60 per minute: one per second; 2,400 per minute: 40 per second (a burst refilled in 33 ms at 1/1,800 of the minute).
const SLOW = 1 / 1000;
const FAST = 40 / 1000;

describe('refusalLevel: what a 429 tells of the bucket that refused', () => {
  const cases: ReadonlyArray<{
    what: string;
    refusal: Refusal;
    capacity: number;
    rate: number;
    level: number;
  }> = [
    {
      what: 'retry-after longer than the rounding: the cost less its refill (others drew, or the bucket is slower than believed)',
      refusal: { dimension: 'requests', cost: 1, retryAfterMs: 5000 },
      capacity: 60,
      rate: SLOW,
      level: -4,
    },
    {
      what: 'retry-after of a second on a bucket refilling 40 a second: empty, not 39 owed',
      refusal: { dimension: 'requests', cost: 1, retryAfterMs: 1000 },
      capacity: 1.33,
      rate: FAST,
      level: 0,
    },
    {
      what: 'input tokens charge at admission too: never below empty within the rounding',
      refusal: { dimension: 'inputTokens', cost: 3000, retryAfterMs: 1000 },
      capacity: 4444,
      rate: 133.3,
      level: 0,
    },
    {
      what: 'output tokens (charged as they stream) may owe more than a burst: read exactly',
      refusal: { dimension: 'outputTokens', cost: 100, retryAfterMs: 1000 },
      capacity: 1000,
      rate: 1,
      level: -900,
    },
    {
      what: 'a 16 s retry-after on 500 input tokens a second (the real ITPM case): 8,000 short of this request',
      refusal: { dimension: 'inputTokens', cost: 8000, retryAfterMs: 16_000 },
      capacity: 30_000,
      rate: 0.5,
      level: 0,
    },
    {
      what: 'no retry-after: the capacity less the refill until -reset',
      refusal: { dimension: 'requests', cost: 1, resetInMs: 30_000 },
      capacity: 60,
      rate: SLOW,
      level: 0,
    },
    {
      what: 'a retry-after of 0: just below the cost',
      refusal: { dimension: 'requests', cost: 1, retryAfterMs: 0 },
      capacity: 60,
      rate: SLOW,
      level: 0,
    },
    {
      what: 'nothing said: empty',
      refusal: { dimension: 'inputTokens', cost: 500 },
      capacity: 10_000,
      rate: 1,
      level: 0,
    },
  ];
  for (const c of cases)
    it(c.what, () => {
      assert.equal(refusalLevel(c.refusal, c.capacity, c.rate), c.level);
    });
});
