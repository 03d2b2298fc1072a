// The pacing bound with several keys: test/unit/pacer/schedulerProperties.test.ts proves it for one
// key; here two keys share one organization's budget (the pacer only learns that from the headers)
// and a third key has its own. With truthful headers no organization ever gets more than its
// capacity plus refill × Δt in any window.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ManualClock } from '../../support/manualClock';
import { Scheduler } from '../../../src/pacer/scheduling/scheduler';
import type { Lane } from '../../../src/pacer/scheduling/schedulerTypes';
import { key } from '../pacer/schedulerHarness';
import { TruthfulServer } from '../pacer/truthfulServer';
import { assertPacingBound, submitAndDrain } from '../../support/submitAndDrain';

const ORGANIZATION_OF: Readonly<Record<string, string>> = { k1: 'org-1', k2: 'org-1', k3: 'org-2' };
const LIMITS = { requests: 5, input: 6_000 };

void describe('pacing bound with keys sharing an organization', () => {
  void it('never sends more than capacity + refill × Δt per organization in any window', async () => {
    let sharedRuns = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            gapMs: fc.integer({ min: 0, max: 3_000 }),
            input: fc.integer({ min: 1, max: 2_000 }),
            lane: fc.constantFrom<Lane>('interactive', 'command', 'background'),
          }),
          { minLength: 8, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 2_000 }),
        async (jobs, latency) => {
          const clock = new ManualClock();
          const server = new TruthfulServer(
            clock,
            LIMITS,
            () => latency,
            (keyId) => ORGANIZATION_OF[keyId]!,
          );
          const scheduler = new Scheduler({
            clock,
            random: () => 0.5,
            transport: server,
            options: { maxInFlight: 4, limits: {} },
          });
          scheduler.setKeys([key('k1'), key('k2'), key('k3')]);
          const results = await submitAndDrain(clock, scheduler, jobs, { maxTimers: 600 });
          assert.ok(results.every((r) => r.status === 'completed'));
          for (const organization of ['org-1', 'org-2']) {
            const sent = server.sent.filter((s) => s.organization === organization);
            assertPacingBound(sent, LIMITS, `${organization} `);
          }
          // The server is the judge of the bound; a 429 means the pacer sent what did not fit.
          assert.equal(server.rejected, 0, 'no 429 with truthful headers');
          if (['k1', 'k2'].every((id) => server.sent.some((s) => s.keyId === id))) sharedRuns++;
          scheduler.dispose();
        },
      ),
      { numRuns: Number(process.env['PB_RUNS'] ?? 60) },
    );
    assert.ok(sharedRuns > 0, 'no run used both keys of the shared organization');
  });
});
