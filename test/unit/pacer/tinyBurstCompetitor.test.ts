// A burst of about one request (2,400 per minute enforced over 1/1,800 of it: 1.33 requests, refilled
// in 33 ms) shared with an unseen client. A 429 there says `retry-after: 1` — thirty windows. Before,
// the whole pool cooled for that second, the bucket was set a second's refill below empty, and each
// cool-down restarted the measurement of others' draw, so it was never learned: 10 to 23 × the bound,
// and nearly every request saw a 429. Now only the refused request waits its second; the pool waits
// at most a window, a refusal's level is never below empty within the rounding of `retry-after`, and
// the time a bucket sat full is left out of the measurement instead of restarting it.
// Not met yet (issue 12): the targets themselves (1.12 × and 5 % 429s); 10-28 % of requests still see a 429.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { paceOnWindowServer } from './windowRun';

const LIMITS = { requests: 2_400, input: 80_000_000 };
const inputs = Array.from({ length: 200 }, (_, i) => 200 + ((i * 613) % 3800));

describe('a burst of about one request shared with an unseen client', () => {
  void it('no longer collapses: every request completes within 1.5 × the bound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.05, max: 0.45, noNaN: true }),
        fc.constantFrom<'interactive' | 'command' | 'background'>('interactive', 'command', 'background'),
        async (competitorShare, lane) => {
          const { ratio, completed } = await paceOnWindowServer(
            LIMITS,
            { windowShare: 1 / 1_800, competitorShare, latencyMs: 3 },
            inputs.map((input) => ({ lane, input })),
          );
          assert.equal(completed, inputs.length);
          assert.ok(
            ratio <= 1.5,
            `makespan ${ratio.toFixed(3)} × bound (other ${competitorShare.toFixed(2)})`,
          );
        },
      ),
      { numRuns: 8 },
    );
  });
});
