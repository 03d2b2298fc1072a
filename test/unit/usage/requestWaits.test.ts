import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestWaits } from '../../../src/usage/model/requestWaits';
import { ManualClock } from '../../support/manualClock';

describe('RequestWaits', () => {
  it('counts queue, pacing and retry waits, not the time attempts spent streaming', () => {
    const clock = new ManualClock();
    const waits = new RequestWaits();
    waits.submitted('r1', clock.now());
    clock.advance(2_000); // queued behind the limit
    waits.attemptStarted('r1', clock.now());
    clock.advance(3_000); // streams, then fails mid-stream
    waits.attemptEnded('r1', clock.now());
    clock.advance(4_000); // retry wait
    waits.attemptStarted('r1', clock.now());
    clock.advance(5_000); // streams the answer
    waits.attemptEnded('r1', clock.now());
    // Submission to end is 14 s; 8 s of it was streaming.
    assert.equal(waits.finished('r1', clock.now()), 6_000);
  });

  it('is zero for a request that was sent at once, however long it streamed', () => {
    const clock = new ManualClock();
    const waits = new RequestWaits();
    const submittedAtMs = clock.now();
    // The scheduler may start the attempt inside submit, before the id is handed back.
    waits.attemptStarted('r1', clock.now());
    waits.submitted('r1', submittedAtMs);
    clock.advance(30_000);
    waits.attemptEnded('r1', clock.now());
    assert.equal(waits.finished('r1', clock.now()), 0);
  });

  it('counts an attempt still open when the request ends (cancelled mid-stream) as sending', () => {
    const clock = new ManualClock();
    const waits = new RequestWaits();
    waits.submitted('r1', clock.now());
    clock.advance(1_000);
    waits.attemptStarted('r1', clock.now());
    clock.advance(10_000);
    assert.equal(waits.finished('r1', clock.now()), 1_000);
    waits.attemptEnded('r1', clock.now() + 50);
    assert.equal(waits.finished('r1', clock.now()), 0, 'a finished request is forgotten');
  });

  it('keeps requests apart', () => {
    const clock = new ManualClock();
    const waits = new RequestWaits();
    waits.submitted('a', clock.now());
    waits.submitted('b', clock.now());
    waits.attemptStarted('a', clock.now());
    clock.advance(2_000);
    waits.attemptStarted('b', clock.now());
    waits.attemptEnded('a', clock.now());
    clock.advance(1_000);
    waits.attemptEnded('b', clock.now());
    assert.equal(waits.finished('a', clock.now()), 1_000);
    assert.equal(waits.finished('b', clock.now()), 2_000);
  });
});
