// A response's rate-limit reading is as old as the answer's latency: the server counted it when it
// admitted the request. With a burst of one or two requests and answers slower than the window,
// treating it as current loses most of the refill; crediting it must stay capped like the server's
// bucket, and stop once a 429 says this server's readings are fresher.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRateLimitHeaders } from '../../../src/pacer/limits/rateLimitHeaders';
import { RatePool } from '../../../src/pacer/limits/ratePool';
import { ReservationLedger } from '../../../src/pacer/limits/reservations';
import { rateHeaders } from './scriptedTransport';
import { paceOnWindowServer } from './windowRun';

const one = { requests: 1, inputTokens: 0, outputTokens: 0, tokens: 0 };
const zero = { requests: 0, inputTokens: 0, outputTokens: 0, tokens: 0 };

describe('the age of a rate-limit reading', () => {
  it('replays what the reading cannot include at its sending times, with the refill between, capped', () => {
    const ledger = new ReservationLedger();
    const source = ledger.add(one, 0);
    for (const at of [25, 50, 75]) ledger.add(one, at);
    const bucket = { capacity: 1.33, ratePerMs: 0.04 };
    // Read 0 at t = 0; three more sent 25 ms apart, each when a request had refilled: 1 left at 100 ms.
    assert.ok(Math.abs(ledger.levelNow('requests', 0, source, 0, 100, bucket) - 1) < 1e-9);
    // Taken as current it would say 3 below empty.
    assert.equal(ledger.levelNow('requests', 0, source, 100, 100, bucket), -3);
    // Never above what the bucket holds.
    assert.equal(ledger.levelNow('requests', 1, source, 0, 10_000, bucket), 1.33);
  });

  it('credits the refill since the request was sent where it matters, until a 429; then reads headers as current', () => {
    // A pool that learned 60 per minute (1 per second) and a burst of 10 from a first answer.
    const learnedPool = (): RatePool => {
      const pool = new RatePool(
        'org-1',
        'sonnet-4',
        { limits: {}, headroomShare: 0, maxReserveShare: 0.5, probeFirst: false },
        0,
      );
      read(pool, 0, 10, 9);
      return pool;
    };
    // Sends one request, reads `remaining` in its answer, and says how long until 6 more fit.
    const read = (pool: RatePool, sentAtMs: number, answeredAtMs: number, remaining: number): number => {
      const r = pool.reserve(one, sentAtMs);
      const report = parseRateLimitHeaders(
        rateHeaders(answeredAtMs, { requests: [60, remaining, 1] }),
        answeredAtMs,
      );
      pool.sync(report, r, answeredAtMs, true);
      pool.settle(r, { inputTokens: 0, outputTokens: 0 }, answeredAtMs, true);
      return pool.waitMs({ ...one, requests: 6 }, zero, answeredAtMs);
    };
    // Read 2 at 1 s, answered at 3 s: two requests have refilled since, 2 s to go instead of 4.
    assert.equal(read(learnedPool(), 1_000, 3_000, 2), 2_000);
    // Half a second of refill is under a tenth of the burst: taken as current.
    assert.equal(read(learnedPool(), 1_000, 1_500, 2), 4_000);
    const refused = learnedPool();
    refused.note429('requests', parseRateLimitHeaders(undefined, 500), one, 1_000, 500);
    assert.equal(read(refused, 1_000, 3_000, 2), 4_000, 'after a 429: as of the answer');
  });

  it('keeps the full rate when answers take longer than the window (a burst of 1.33 requests)', async () => {
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
