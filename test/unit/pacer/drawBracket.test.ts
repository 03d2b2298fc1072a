import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DrawBracket } from '../../../src/pacer/limits/drawBracket';

// A bucket of one request refilling 60 per minute: 1 per 1,000 ms.
const NOMINAL_PER_MS = 1 / 1_000;
const STEP = 0.05 * NOMINAL_PER_MS;

/** Sends one request after the gap the estimate allows, to a bucket whose others draw `trueDraw`; returns whether it fitted. */
function probe(bracket: DrawBracket, trueDraw: number, nowMs: number): boolean {
  const sinceDrainMs = 1 / (NOMINAL_PER_MS - bracket.perMs);
  const fits = (NOMINAL_PER_MS - trueDraw) * sinceDrainMs >= 1 - 1e-12;
  bracket.note(fits, 1, sinceDrainMs, NOMINAL_PER_MS, nowMs);
  return fits;
}

describe('DrawBracket: others’ draw from which sends fitted', () => {
  it('with nobody else drawing, admissions at the nominal pace keep the estimate at zero', () => {
    const bracket = new DrawBracket();
    for (let i = 0; i < 50; i++) assert.equal(probe(bracket, 0, i * 1_000), true);
    assert.equal(bracket.perMs, 0);
  });

  it('finds any draw below half the refill within one step above it in at most six refusals, then refuses nothing', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.5, noNaN: true }), (share) => {
        const trueDraw = share * NOMINAL_PER_MS;
        const bracket = new DrawBracket();
        let refusals = 0;
        let nowMs = 0;
        for (let i = 0; i < 20; i++, nowMs += 1_500) if (!probe(bracket, trueDraw, nowMs)) refusals++;
        assert.ok(refusals <= 6, `${refusals} refusals for a draw of ${share.toFixed(3)}`);
        assert.ok(bracket.perMs >= trueDraw - 1e-12, 'paces at or above the draw');
        assert.ok(bracket.perMs <= trueDraw + STEP + 1e-12, `settled at ${bracket.perMs} for ${trueDraw}`);
        for (let i = 0; i < 30; i++, nowMs += 1_500) assert.equal(probe(bracket, trueDraw, nowMs), true);
      }),
    );
  });

  it('an admission after an idle gap (a loose bound) never raises the estimate', () => {
    const bracket = new DrawBracket();
    bracket.note(true, 1, 60_000, NOMINAL_PER_MS, 0);
    assert.equal(bracket.perMs, 0);
  });

  it('once the refusals that held it up are forgotten, it steps down again until one refuses', () => {
    const bracket = new DrawBracket();
    const trueDraw = 0.3 * NOMINAL_PER_MS;
    let nowMs = 0;
    for (let i = 0; i < 20; i++, nowMs += 1_500) probe(bracket, trueDraw, nowMs);
    const settled = bracket.perMs;
    // Others stop drawing: after the bounds' lifetime each admission lowers the estimate a step.
    nowMs += 120_000;
    probe(bracket, 0, nowMs);
    assert.ok(bracket.perMs < settled, 'lower after the old refusals are forgotten');
    for (let i = 0; i < 10; i++, nowMs += 1_500) probe(bracket, 0, nowMs);
    assert.equal(bracket.perMs, 0);
  });

  it('when others draw more than the settled estimate, a refusal above it restarts the search upward', () => {
    const bracket = new DrawBracket();
    let nowMs = 0;
    for (let i = 0; i < 20; i++, nowMs += 1_500) probe(bracket, 0.1 * NOMINAL_PER_MS, nowMs);
    const heavier = 0.5 * NOMINAL_PER_MS;
    let refusals = 0;
    for (let i = 0; i < 20; i++, nowMs += 1_500) if (!probe(bracket, heavier, nowMs)) refusals++;
    assert.ok(refusals <= 6, `${refusals} refusals`);
    assert.ok(bracket.perMs >= heavier - 1e-12 && bracket.perMs <= heavier + STEP + 1e-12);
  });

  it('refusals of sends slower than admitted ones, twice within the bounds’ lifetime, mark the bounds as noise', () => {
    const bracket = new DrawBracket();
    bracket.note(true, 1, 1_000, NOMINAL_PER_MS, 0);
    bracket.note(false, 1, 1_500, NOMINAL_PER_MS, 2_000);
    assert.equal(bracket.isNoisy, false, 'one contradiction: others may draw more now');
    bracket.note(true, 1, 1_000, NOMINAL_PER_MS, 4_000);
    bracket.note(false, 1, 2_000, NOMINAL_PER_MS, 6_000);
    assert.equal(bracket.isNoisy, true, 'a second one: the draw comes in bursts');
    bracket.note(true, 1, 1_000, NOMINAL_PER_MS, 200_000);
    assert.equal(bracket.isNoisy, false, 'forgotten with the bounds');
  });

  it('a search that only refusals at its own pace answer is never noise', () => {
    const bracket = new DrawBracket();
    let nowMs = 0;
    for (let i = 0; i < 40; i++, nowMs += 1_500) probe(bracket, 0.45 * NOMINAL_PER_MS, nowMs);
    assert.equal(bracket.isNoisy, false);
  });

  it('ignores sends it cannot read (no gap, no charge)', () => {
    const bracket = new DrawBracket();
    bracket.note(false, 1, 0, NOMINAL_PER_MS, 0);
    bracket.note(false, 0, 1_000, NOMINAL_PER_MS, 0);
    assert.equal(bracket.perMs, 0);
  });
});
