import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChargeRatios } from '../../../src/pacer/limits/chargeRatios';
import { requestCost } from '../../../src/pacer/limits/cost';
import type { Reservation } from '../../../src/pacer/limits/reservations';

let seq = 1;
/** Sends a request estimated at `estimated` input tokens and answers it, the server having counted `counted`. */
function answer(ratios: ChargeRatios, estimated: number, counted: number): void {
  const r: Reservation = {
    seq: seq++,
    atMs: 0,
    cost: requestCost(estimated, 5),
    isDone: false,
    isInputSeenByServer: false,
    isHeard: false,
  };
  ratios.noteSent(r);
  r.cost.inputTokens = counted;
  ratios.noteSettled(r, true);
}

describe('ChargeRatios: how the server counted input tokens against our estimates', () => {
  it('believes nothing before three answers: no bound below, no margin above', () => {
    const ratios = new ChargeRatios();
    answer(ratios, 1_000, 1_200);
    answer(ratios, 1_000, 900);
    assert.equal(ratios.isKnown, false);
    assert.equal(ratios.highest, 1);
  });

  it('bounds a charge below by the least share lately, and the margin above by three requests in four', () => {
    const ratios = new ChargeRatios();
    for (const counted of [900, 1_000, 1_040, 1_080, 1_300]) answer(ratios, 1_000, counted);
    assert.equal(ratios.isKnown, true);
    assert.equal(ratios.lowest, 0.9);
    // One odd answer (1.3 ×) does not set the margin for every request.
    assert.equal(ratios.highest, 1.08);
  });

  it('never goes above 1 for the bound nor below 1 for the margin; an unanswered request teaches nothing', () => {
    const ratios = new ChargeRatios();
    for (let i = 0; i < 4; i++) answer(ratios, 1_000, 700);
    const lost: Reservation = {
      seq: seq++,
      atMs: 0,
      cost: requestCost(1_000, 5),
      isDone: false,
      isInputSeenByServer: false,
      isHeard: false,
    };
    ratios.noteSent(lost);
    lost.cost.inputTokens = 5_000;
    ratios.noteSettled(lost, false);
    assert.equal(ratios.lowest, 0.7);
    assert.equal(ratios.highest, 1);
  });
});
