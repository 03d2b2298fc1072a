// A response's rate-limit reading is an interval, not a point: `remaining` is floored, and a server
// that counts at admission and answers a latency later shows a level that old. With a burst of one
// or two requests and answers as slow as a refill slot or slower, taking the reading's lower edge
// as current lost most of the rate (1.59 × the bound below). The pacer keeps its own accounting
// while the reading allows it, so it must neither lose that rate nor run ahead of a server whose
// readings are fresh.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { paceOnWindowServer } from './windowRun';

// 2,400 per minute held as 1.33 requests: one refill slot is 25 ms.
const LIMITS = { requests: 2_400, input: 8_000_000 };
// Input tokens never tight: token counts are still read at their lower edge (estimates), so a tiny
// token burst with slow answers loses rate the same way (up to 1.11 × at 1/2,400 of the minute).
const REQUESTS_BIND = { requests: 2_400, input: 80_000_000 };
const TINY_BURST = 1 / 1_800;
const inputs = Array.from({ length: 160 }, (_, i) => 200 + ((i * 613) % 1800));
const jobs = inputs.map((input) => ({ lane: 'command' as const, input }));

describe('the age of a rate-limit reading', () => {
  void it('keeps the full rate when answers take longer than the window (a burst of 1.33 requests)', async () => {
    // Answers take 100 ms, four requests' worth of refill.
    const { ratio, rejected, completed } = await paceOnWindowServer(
      LIMITS,
      { windowShare: TINY_BURST, competitorShare: 0, latencyMs: 100 },
      jobs,
    );
    assert.equal(completed, inputs.length);
    assert.ok(ratio <= 1.05, `makespan ${ratio.toFixed(3)} × bound`);
    assert.equal(rejected, 0);
  });

  // Before, fresh readings lost the rate too (1.59 × the bound at 100 ms): the requests still in
  // transit were subtracted from a floored count, so the lag never closed.
  void it('keeps the rate and draws no 429s whether a reading is fresh or as old as the answer, for latencies up to three refill slots', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 75 }),
        // Bursts of 1, 1.33, 2, 3 and 4 requests.
        fc.constantFrom(1 / 2_400, TINY_BURST, 1 / 1_200, 1 / 800, 1 / 600),
        fc.boolean(),
        async (latencyMs, windowShare, isReadingFresh) => {
          const { ratio, rejected, completed } = await paceOnWindowServer(
            REQUESTS_BIND,
            { windowShare, competitorShare: 0, latencyMs, isReadingFresh },
            jobs,
          );
          assert.equal(completed, inputs.length);
          const where = `latency ${latencyMs} ms, window ${windowShare}, fresh ${isReadingFresh}`;
          assert.equal(rejected, 0, `${rejected} 429s (${where})`);
          assert.ok(ratio <= 1.05, `makespan ${ratio.toFixed(3)} × bound (${where})`);
        },
      ),
      { numRuns: 20 },
    );
  });
});
