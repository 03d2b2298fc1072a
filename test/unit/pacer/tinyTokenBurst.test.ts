// Token buckets barely larger than one request (every limit enforced over about 1/1,500 of the
// minute: 1.3-1.7 requests and 4,400-5,600 input tokens for requests of up to 4,000), with answers
// slower than a refill slot. A token reading is a thousand-rounded count as old as the answer: set
// to its lower edge at every answer, the bucket lost up to a whole burst of refill each time
// (1.4 × the bound). Alone, our own accounting is now kept within what the reading hides.
// And a reserve for interactive work no longer makes a background request wait for a full bucket.
// Not met yet (issue 12): answers between about 1.4 and 1.8 refill slots at some windows (1/1,400:
// 1.3-1.4 × with 36-40 ms answers), where the burst learned from the first answers is about 0.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Lane } from '../../../src/pacer/scheduling/schedulerTypes';
import { paceOnWindowServer } from './windowRun';

const LIMITS = { requests: 2_400, input: 8_000_000 };
const inputs = Array.from({ length: 200 }, (_, i) => 200 + ((i * 613) % 3800));
const jobs = (lane: (i: number) => Lane) => inputs.map((input, i) => ({ lane: lane(i), input }));

describe('token bursts of about one request', () => {
  void it('answers of two refill slots or more: within 1.05 × the bound and no 429, any lane mix', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1 / 1_800, 1 / 1_400, 1 / 1_000),
        fc.integer({ min: 50, max: 150 }),
        fc.constantFrom(0, 3, 10),
        async (windowShare, latencyMs, interactiveEvery) => {
          const lane = (i: number): Lane =>
            interactiveEvery > 0 && i % interactiveEvery === 0 ? 'interactive' : 'background';
          const { ratio, rejected, completed } = await paceOnWindowServer(
            LIMITS,
            { windowShare, competitorShare: 0, latencyMs },
            jobs(lane),
          );
          assert.equal(completed, inputs.length);
          assert.equal(rejected, 0);
          assert.ok(
            ratio <= 1.05,
            `${ratio.toFixed(3)} × the bound (window ${windowShare}, answers ${latencyMs} ms)`,
          );
        },
      ),
      { numRuns: 8 },
    );
  });

  void it.skip('answers of 1.4 to 1.8 refill slots: within 1.05 × the bound (not met yet)', async () => {
    const { ratio } = await paceOnWindowServer(
      LIMITS,
      { windowShare: 1 / 1_400, competitorShare: 0, latencyMs: 38 },
      jobs(() => 'background'),
    );
    assert.ok(ratio <= 1.05, `${ratio.toFixed(3)} × the bound`);
  });

  void it('a reserve for interactive work costs background at most a fifth of the rate when answers are quick (was 1.29 ×)', async () => {
    const { ratio, rejected } = await paceOnWindowServer(
      LIMITS,
      { windowShare: 1 / 1_800, competitorShare: 0, latencyMs: 3 },
      jobs((i) => (i % 10 === 0 ? 'interactive' : 'background')),
    );
    assert.equal(rejected, 0);
    assert.ok(ratio <= 1.2, `${ratio.toFixed(3)} × the bound`);
  });
});
