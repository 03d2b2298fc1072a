// The pacing bound with several keys: test/unit/pacer/schedulerProperties.test.ts proves it for one
// key; here two keys share one organization's budget (the pacer only learns that from the headers)
// and a third key has its own. With truthful headers no organization ever gets more than its
// capacity plus refill × Δt in any window.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ManualClock } from '../../support/manualClock';
import { Scheduler } from '../../../src/pacer/scheduling/scheduler';
import type { Lane, RequestHandle } from '../../../src/pacer/scheduling/schedulerTypes';
import type { Attempt, AttemptOutcome, Transport } from '../../../src/pacer/transport';
import { key } from '../pacer/schedulerHarness';
import { failure, flush, headers, success, usage } from '../pacer/scriptedTransport';

const ORGANIZATION_OF: Readonly<Record<string, string>> = { k1: 'org-1', k2: 'org-1', k3: 'org-2' };
const LIMITS = { requests: 5, input: 6_000 };

/** A server with per-organization buckets (refilled continuously), headers computed after the debit. */
class OrganizationServer implements Transport {
  readonly sent: Array<{ atMs: number; keyId: string; organization: string; input: number }> = [];
  rejected = 0;
  readonly #buckets = new Map<string, { requests: number; input: number; atMs: number }>();

  constructor(
    private readonly clock: ManualClock,
    private readonly latencyMs: number,
  ) {}

  send(attempt: Attempt): Promise<AttemptOutcome> {
    const now = this.clock.now();
    const organization = ORGANIZATION_OF[attempt.keyId]!;
    const b = this.#buckets.get(organization) ?? { ...LIMITS, atMs: now };
    const dt = now - b.atMs;
    b.requests = Math.min(LIMITS.requests, b.requests + (dt * LIMITS.requests) / 60_000);
    b.input = Math.min(LIMITS.input, b.input + (dt * LIMITS.input) / 60_000);
    b.atMs = now;
    this.#buckets.set(organization, b);
    const input = (attempt.request.messages[0]?.content as string).length;
    const h = (): ReturnType<typeof headers> =>
      headers({
        'anthropic-organization-id': organization,
        'anthropic-ratelimit-requests-limit': LIMITS.requests,
        'anthropic-ratelimit-requests-remaining': Math.max(0, Math.floor(b.requests)),
        'anthropic-ratelimit-requests-reset': new Date(
          now + ((LIMITS.requests - b.requests) * 60_000) / LIMITS.requests,
        ).toISOString(),
        'anthropic-ratelimit-input-tokens-limit': LIMITS.input,
        'anthropic-ratelimit-input-tokens-remaining': Math.max(0, Math.floor(b.input)),
        'anthropic-ratelimit-input-tokens-reset': new Date(
          now + ((LIMITS.input - b.input) * 60_000) / LIMITS.input,
        ).toISOString(),
      });
    if (b.requests < 1 || b.input < input) {
      this.rejected++;
      return Promise.resolve(
        failure({ kind: 'rate_limited', status: 429, message: 'rate limit', midStream: false }, h()),
      );
    }
    b.requests -= 1;
    b.input -= input;
    this.sent.push({ atMs: now, keyId: attempt.keyId, organization, input });
    const reply = h();
    return new Promise((resolve) =>
      this.clock.setTimer(() => resolve(success('ok', usage(input, 5), reply)), this.latencyMs),
    );
  }
}

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
          const server = new OrganizationServer(clock, latency);
          const scheduler = new Scheduler({
            clock,
            random: () => 0.5,
            transport: server,
            options: { maxInFlight: 4, limits: {} },
          });
          scheduler.setKeys([key('k1'), key('k2'), key('k3')]);
          const handles: RequestHandle[] = [];
          for (const job of jobs) {
            clock.advance(job.gapMs);
            handles.push(
              scheduler.submit({
                lane: job.lane,
                inputTokens: job.input,
                request: {
                  model: 'claude-sonnet-4-6',
                  maxTokens: 5,
                  messages: [{ role: 'user', content: 'x'.repeat(job.input) }],
                },
              }),
            );
            await flush();
          }
          for (let i = 0; i < 600 && clock.pendingTimers > 0; i++) {
            clock.advanceTo(clock.nextDueMs()!);
            await flush();
          }
          const results = await Promise.all(handles.map((h) => h.result));
          assert.ok(results.every((r) => r.status === 'completed'));
          for (const organization of ['org-1', 'org-2']) {
            const sent = server.sent.filter((s) => s.organization === organization);
            for (let i = 0; i < sent.length; i++) {
              let requests = 0;
              let input = 0;
              for (let j = i; j < sent.length; j++) {
                requests += 1;
                input += sent[j]!.input;
                const dt = sent[j]!.atMs - sent[i]!.atMs;
                assert.ok(
                  requests <= LIMITS.requests + (LIMITS.requests * dt) / 60_000 + 1e-9,
                  `${organization} requests ${i}..${j}`,
                );
                assert.ok(
                  input <= LIMITS.input + (LIMITS.input * dt) / 60_000 + 1e-6,
                  `${organization} input ${i}..${j}`,
                );
              }
            }
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
