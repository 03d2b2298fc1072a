import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BracketFeed } from '../../../src/pacer/limits/bracketFeed';
import { ChargeRatios } from '../../../src/pacer/limits/chargeRatios';
import { requestCost } from '../../../src/pacer/limits/cost';
import { DimensionLearner } from '../../../src/pacer/limits/dimensionLearner';
import { DIMENSIONS, type Dimension } from '../../../src/pacer/limits/dimensions';
import type { Reservation } from '../../../src/pacer/limits/reservations';

// Input tokens enforced over a second: a burst of 4,000 (four reading steps), 4,000 a second at most.
const LIMITS: Partial<Record<Dimension, number>> = { requests: 6_000, inputTokens: 240_000 };

function feedWithLearners() {
  const learners = Object.fromEntries(DIMENSIONS.map((d) => [d, new DimensionLearner()])) as Record<
    Dimension,
    DimensionLearner
  >;
  learners.inputTokens.observeLevel(4_000, 0);
  const feed = new BracketFeed(
    learners,
    { limit: (d) => LIMITS[d], windowMs: () => 1_000 },
    new ChargeRatios(),
    () => {},
  );
  return { feed, input: learners.inputTokens };
}

let seq = 100;
function reservation(inputTokens: number, atMs: number, requestId: string): Reservation {
  return {
    seq: seq++,
    atMs,
    cost: requestCost(inputTokens, 5),
    requestId,
    isDone: false,
    isInputSeenByServer: false,
    isHeard: false,
  };
}

/** A request of the whole burst admitted at `atMs`, the server showing "0" left right after (charged as estimated). */
function admitFullBurst(feed: BracketFeed, atMs: number, id: string): void {
  const r = reservation(4_000, atMs, id);
  feed.sent(r);
  feed.admitted('inputTokens', r, 0, atMs + 20);
  feed.settled(r, true, atMs + 20);
}

describe('BracketFeed: token refusals in a burst of a few reading steps', () => {
  it('once answers showed how the server counts, a refusal caps the net refill at once', () => {
    const { feed, input } = feedWithLearners();
    for (const [i, atMs] of [0, 1_200, 2_400].entries()) admitFullBurst(feed, atMs, `r${i}`);
    assert.equal(input.othersDraw, 'none');

    const refused = reservation(3_994, 3_500, 'big');
    feed.sent(refused);
    feed.refused('inputTokens', refused, 3_994, 3_520);

    // Full bursts 1,200 ms apart were admitted, yet 1,100 ms after the last one the bucket did not hold
    // 3,994: others draw, and the pace is the bracket's.
    assert.equal(input.othersDraw, 'bracketed');
    assert.ok(input.refillPerMinute(240_000) < 240_000, `refill ${input.refillPerMinute(240_000)} a minute`);
  });

  it('before that, a refused count is only an estimate: it caps once an answered retry shows the charge', () => {
    const { feed, input } = feedWithLearners();
    for (const [i, atMs] of [0, 1_200].entries()) admitFullBurst(feed, atMs, `r${i}`);

    const refused = reservation(3_994, 2_300, 'big');
    feed.sent(refused);
    feed.refused('inputTokens', refused, 3_994, 2_320);
    assert.equal(input.othersDraw, 'none');

    const retry = reservation(3_994, 3_700, 'big');
    feed.sent(retry);
    feed.admitted('inputTokens', retry, 0, 3_720);
    feed.settled(retry, true, 3_720);
    assert.equal(input.othersDraw, 'bracketed');
  });
});
