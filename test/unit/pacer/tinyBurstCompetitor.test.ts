// A burst of about one request (2,400 per minute enforced over 1/1,800 of it: 1.33 requests, refilled
// in 33 ms) shared with an unseen client. A 429 there says `retry-after: 1` — thirty windows. Before,
// the whole pool cooled for that second, the bucket was set a second's refill below empty, and each
// cool-down restarted the measurement of others' draw, so it was never learned: 10 to 23 × the bound,
// and nearly every request saw a 429. Now only the refused request waits its second; the pool waits
// at most a window, a refusal's level is never below empty within the rounding of `retry-after`, and
// the time a bucket sat full is left out of the measurement instead of restarting it. A reading hides
// as much as such a bucket holds, so refusals are what show others' draw: each one lowers the twin
// that measures it to the refusal's lower edge (1.25-1.34 × and 4-14 % 429s before, 1.14-1.28 × and
// 2.5-7 % now, answers of 3 ms).
// Not met yet (issue 12): the targets themselves (1.12 × and 5 % 429s); answers as slow as a refill
// slot (25 ms) still reach 1.3-1.9 ×, over-reading others' draw from refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { paceOnWindowServer } from './windowRun';

const LIMITS = { requests: 2_400, input: 80_000_000 };
const inputs = Array.from({ length: 200 }, (_, i) => 200 + ((i * 613) % 3800));

describe('a burst of about one request shared with an unseen client', () => {
  void it('no longer collapses: every request completes within 1.35 × the bound, at most 8 % see a 429', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.05, max: 0.45, noNaN: true }),
        fc.constantFrom<'interactive' | 'command' | 'background'>('interactive', 'command', 'background'),
        async (competitorShare, lane) => {
          const { ratio, completed, rejected } = await paceOnWindowServer(
            LIMITS,
            { windowShare: 1 / 1_800, competitorShare, latencyMs: 3 },
            inputs.map((input) => ({ lane, input })),
          );
          assert.equal(completed, inputs.length);
          assert.ok(
            ratio <= 1.35,
            `makespan ${ratio.toFixed(3)} × bound (other ${competitorShare.toFixed(2)})`,
          );
          assert.ok(
            rejected <= inputs.length * 0.08,
            `${rejected} 429s (other ${competitorShare.toFixed(2)})`,
          );
        },
      ),
      { numRuns: 8 },
    );
  });
});
