// Others' draw on a shared budget, learned from the corrections each re-sync makes: the readings are
// rounded, so only a sum that telescopes (and a dead band of one rounding step) tells a real
// competitor from noise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DimensionLearner } from '../../../src/pacer/limits/dimensionLearner';
import { TokenBucket } from '../../../src/pacer/limits/tokenBucket';

const LIMIT = 600_000; // tokens per minute
const NOMINAL_PER_MS = LIMIT / 60_000;
const QUANTUM = 1_000;

interface Run {
  /** Others' share of the refill. */
  readonly others: number;
  /** How far below the true level each reading is (0 ≤ e < QUANTUM): `remaining` rounded down. */
  readonly readingErrors: readonly number[];
  /** Our own draw per interval, as a share of the nominal refill (we keep the bucket well below full). */
  readonly ownShare: number;
  readonly intervalMs: number;
}

/** Others' draw per minute the learner believes after re-syncing once per interval for the whole run. */
function learnedOthersPerMinute(run: Run): number {
  const learner = new DimensionLearner();
  let trueLevel = 50_000; // far from the 600,000 cap: nothing spills
  let believedLevel = trueLevel;
  let nowMs = 0;
  for (const error of run.readingErrors) {
    nowMs += run.intervalMs;
    const own = run.ownShare * NOMINAL_PER_MS * run.intervalMs;
    trueLevel += NOMINAL_PER_MS * run.intervalMs * (1 - run.others) - own;
    const bucketPerMs = learner.refillPerMinute(LIMIT) / 60_000;
    const predicted = believedLevel + bucketPerMs * run.intervalMs - own;
    const level = trueLevel - error;
    learner.noteCorrection({
      predicted,
      level,
      spilled: 0,
      nowMs,
      nominalPerMs: NOMINAL_PER_MS,
      bucketPerMs,
      windowMs: 60_000,
      capacity: LIMIT,
      quantum: QUANTUM,
    });
    believedLevel = level;
  }
  return LIMIT - learner.refillPerMinute(LIMIT);
}

describe('DimensionLearner: others’ draw from re-sync corrections', () => {
  it('sees no competitor in rounding noise alone, however the readings round', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: QUANTUM - 1 }), { minLength: 50, maxLength: 400 }),
        fc.double({ min: 0.2, max: 0.9, noNaN: true }),
        (errors, ownShare) => {
          const others = learnedOthersPerMinute({
            others: 0,
            readingErrors: errors,
            ownShare,
            intervalMs: 250,
          });
          assert.equal(others, 0);
        },
      ),
    );
  });

  it('learns a real competitor to within the dead band: at most one rounding step over the horizon low, never high', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 0.6, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: QUANTUM - 1 }), { minLength: 400, maxLength: 400 }),
        (othersShare, errors) => {
          const others = learnedOthersPerMinute({
            others: othersShare,
            readingErrors: errors,
            ownShare: 0.3,
            intervalMs: 250,
          });
          const truth = othersShare * LIMIT;
          // Horizon: two 60 s windows, capped at 60 s; ends' errors ≤ 1 step, dead band 1 step.
          const slackPerMinute = 2 * QUANTUM;
          assert.ok(others <= truth + 1e-6, `${others.toFixed(0)} > ${truth.toFixed(0)}`);
          assert.ok(others >= truth - slackPerMinute, `${others.toFixed(0)} ≪ ${truth.toFixed(0)}`);
        },
      ),
    );
  });

  it('keeps its estimate through an interval in which our bucket spilled (the server may have been full too)', () => {
    const learner = new DimensionLearner();
    const correction = (nowMs: number, gap: number, spilled: number): boolean =>
      learner.noteCorrection({
        predicted: 10_000 + gap,
        level: 10_000,
        spilled,
        nowMs,
        nominalPerMs: NOMINAL_PER_MS,
        bucketPerMs: learner.refillPerMinute(LIMIT) / 60_000,
        windowMs: 10_000,
        capacity: LIMIT,
        quantum: QUANTUM,
      });
    // Others draw 2.5 tokens/ms (a quarter): each 1 s interval's correction shows 2,500 we did not expect.
    for (let t = 1_000; t <= 20_000; t += 1_000)
      correction(t, 2_500 - (LIMIT - learner.refillPerMinute(LIMIT)) / 60, 0);
    const learned = LIMIT - learner.refillPerMinute(LIMIT);
    assert.ok(learned > 0.2 * LIMIT && learned <= 0.25 * LIMIT, `learned ${learned}`);
    // A full bucket hides the draw: a huge "gap" while spilling teaches nothing and restarts the sum.
    assert.equal(correction(21_000, 400_000, QUANTUM), false);
    assert.equal(LIMIT - learner.refillPerMinute(LIMIT), learned);
  });

  it('takes half a bucket drained in a moment as a one-off, not as a rate for the whole horizon', () => {
    const learner = new DimensionLearner();
    const correct = (nowMs: number, gap: number): boolean =>
      learner.noteCorrection({
        predicted: 100_000 + gap,
        level: 100_000,
        spilled: 0,
        nowMs,
        nominalPerMs: NOMINAL_PER_MS,
        bucketPerMs: learner.refillPerMinute(LIMIT) / 60_000,
        windowMs: 60_000,
        capacity: LIMIT,
        quantum: QUANTUM,
      });
    for (let t = 100; t <= 30_000; t += 100) correct(t, 0);
    assert.equal(correct(30_100, 0.6 * LIMIT), false, 'a quota cut or a batch elsewhere');
    for (let t = 30_200; t <= 40_000; t += 100) correct(t, 0);
    assert.equal(LIMIT - learner.refillPerMinute(LIMIT), 0);
    // The same amount spread over the horizon is a rate.
    for (let t = 40_100; t <= 100_000; t += 100) correct(t, (0.25 * LIMIT) / 600);
    assert.ok(LIMIT - learner.refillPerMinute(LIMIT) > 0.2 * LIMIT);
  });

  it('takes a drain seen in one interval after a long idle span as a level, not as a rate', () => {
    // 30 per minute over the whole minute; 60 s idle, then a refusal shows the bucket emptied.
    const learner = new DimensionLearner();
    const correct = (nowMs: number, drawn: number): void => {
      learner.noteCorrection({
        predicted: 30,
        level: 30 - drawn,
        spilled: 0,
        nowMs,
        nominalPerMs: 30 / 60_000,
        bucketPerMs: learner.refillPerMinute(30) / 60_000,
        windowMs: 60_000,
        capacity: 30,
        quantum: 1,
      });
    };
    correct(0, 0);
    correct(60_000, 30);
    assert.equal(learner.othersDraw, 'none', 'one interval shows a level');
    correct(62_000, 0);
    assert.equal(learner.refillPerMinute(30), 30);
    // Draw that shows in interval after interval is a rate.
    for (let t = 64_000; t <= 120_000; t += 2_000) correct(t, 0.25);
    assert.ok(
      learner.othersDraw !== 'none' && learner.refillPerMinute(30) < 30,
      `refill ${learner.refillPerMinute(30)}`,
    );
  });

  it('ignores refill a full bucket lost: TokenBucket counts it as spilled', () => {
    const bucket = new TokenBucket(1_000, 60_000, 0); // 1 per ms, full
    bucket.take(600, 0);
    assert.equal(bucket.takeSpilled(300), 0);
    assert.equal(bucket.takeSpilled(1_000), 400, 'full at 600 ms: the refill of the last 400 ms spilled');
    bucket.give(50, 1_000);
    assert.equal(bucket.takeSpilled(1_000), 50, 'a return beyond capacity spills');
  });
});
