// Known gap (issue 12, open): a response's rate-limit reading may be as old as the answer's latency
// (a server that counts at admission and answers later). With a burst of one or two requests and
// answers slower than the window, taking the reading as current loses most of the refill.
// Crediting the age from the request's sending fixed this case (1.59 → 1.00 × the bound) but ran
// ahead of our own simulator, whose readings are fresh, and drew 429s and a phantom competitor
// there (half the refill, in `short-window`); it was taken out until the age can be learned.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paceOnWindowServer } from './windowRun';

describe('the age of a rate-limit reading', () => {
  void it.skip('keeps the full rate when answers take longer than the window (a burst of 1.33 requests; not met yet)', async () => {
    // 2,400 per minute held as 1.33 requests; answers take 100 ms, four requests' worth of refill.
    const inputs = Array.from({ length: 160 }, (_, i) => 200 + ((i * 613) % 1800));
    const { ratio, rejected, completed } = await paceOnWindowServer(
      { requests: 2_400, input: 8_000_000 },
      { windowShare: 1 / 1_800, competitorShare: 0, latencyMs: 100 },
      inputs.map((input) => ({ lane: 'command', input })),
    );
    assert.equal(completed, inputs.length);
    assert.ok(ratio <= 1.05, `makespan ${ratio.toFixed(3)} × bound`);
    assert.equal(rejected, 0);
  });
});
