// Another client sending single requests at random times into a small burst (80 RPM enforced over
// a second: 1.33 requests) takes a slot whatever our pace, so refusals come at any pace. A pacer that
// reads each refusal as a bound on a steady draw ratchets its pace down: a bracket search tried in
// the fourth session (docs/scheduler.md) reached 2.4-3.1 × what both clients' admitted requests
// needed. Reading each refusal as one request drawn, the telescoping estimate stays within 1.0-1.75 ×.
// Not met (issue 12): near 1 × with such a client; its refusals are not ours to avoid, but a pacer
// could leave it fewer slots.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../sim/random';
import { paceOnWindowServer } from './windowRun';

const LIMITS = { requests: 80, input: 80_000_000 };
const JOBS = 120;

describe('a client sending at random into a burst of about one request', () => {
  for (const requestsPerSecond of [0.1, 0.2, 0.4])
    void it(`at ${requestsPerSecond} requests a second it does not ratchet our pace down: within 2 × what both clients' requests needed`, async () => {
      for (let seed = 1; seed <= 5; seed++) {
        const { completed, othersAdmitted, ratio } = await paceOnWindowServer(
          LIMITS,
          {
            windowShare: 1 / 60,
            competitorShare: 0,
            latencyMs: 20,
            burstyOther: { requestsPerSecond, random: mulberry32(seed) },
          },
          Array.from({ length: JOBS }, () => ({ lane: 'command' as const, input: 200 })),
        );
        assert.equal(completed, JOBS);
        // `ratio` is against our work alone; the other client's admitted requests took slots too.
        const ofNeeded = ratio / ((JOBS + othersAdmitted) / JOBS);
        assert.ok(
          ofNeeded <= 2,
          `${ofNeeded.toFixed(2)} × (seed ${seed}, ${othersAdmitted} of theirs admitted)`,
        );
      }
    });
});
