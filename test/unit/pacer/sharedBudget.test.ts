import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../support/manualClock';
import { MemorySharedBudget } from '../../support/memorySharedBudget';
import { assertPacingBound, drainTimers, flush } from '../../support/submitAndDrain';
import { Scheduler } from '../../../src/pacer/scheduling/scheduler';
import type { Lane, RequestHandle, RequestResult } from '../../../src/pacer/scheduling/schedulerTypes';
import type { SchedulerLogEntry } from '../../../src/pacer/scheduling/schedulerTypes';
import type { Transport } from '../../../src/pacer/transport';
import { key } from './schedulerHarness';
import { headers } from './scriptedTransport';
import { TruthfulServer } from './truthfulServer';

const ORG = 'org-1';
const LIMITS = { requests: 5, input: 6_000 };
const LANES: readonly Lane[] = ['interactive', 'command', 'background'];

/** One organization's server (answers of `replyTokens`) and an in-memory shared budget, on one manual clock. */
function orgRig(replyTokens = 100): {
  clock: ManualClock;
  server: TruthfulServer;
  budget: MemorySharedBudget;
} {
  const clock = new ManualClock();
  const server = new TruthfulServer(
    clock,
    LIMITS,
    () => replyTokens,
    () => ORG,
  );
  return { clock, server, budget: new MemorySharedBudget(clock) };
}

/** A scheduler of one window: its own key of the shared organization, the configured limits, maybe a shared budget. */
function windowScheduler(
  clock: ManualClock,
  transport: Transport,
  keyId: string,
  sharedBudget?: MemorySharedBudget,
): Scheduler {
  const scheduler = new Scheduler({
    clock,
    random: () => 0.5,
    transport,
    options: {
      limits: { '*': { requests: LIMITS.requests, inputTokens: LIMITS.input, outputTokens: 1_000_000 } },
      maxInFlight: 4,
    },
    ...(sharedBudget ? { sharedBudget } : {}),
  });
  scheduler.setKeys([key(keyId)]);
  // As after an earlier answer of this key: its organization is known, so its pool can be shared.
  scheduler.learnKeyOrganization(keyId, headers({ 'anthropic-organization-id': ORG }));
  return scheduler;
}

function submitBurst(scheduler: Scheduler, count: number, input: number): RequestHandle[] {
  return Array.from({ length: count }, (_, i) =>
    scheduler.submit({
      lane: LANES[i % LANES.length]!,
      inputTokens: input,
      request: {
        model: 'claude-sonnet-4-6',
        maxTokens: 5,
        messages: [{ role: 'user', content: 'x'.repeat(input) }],
      },
    }),
  );
}

/** Two windows on one organization submit a burst each at once and run until everything ended. */
async function runTwoWindows(
  shared: boolean,
): Promise<{ server: TruthfulServer; results: RequestResult[]; budget: MemorySharedBudget }> {
  const { clock, server, budget } = orgRig(800);
  const windows = ['w1', 'w2'].map((id) => windowScheduler(clock, server, id, shared ? budget : undefined));
  const handles = windows.flatMap((w, i) => submitBurst(w, 9, 300 + 200 * i));
  await flush();
  await drainTimers(clock, { maxTimers: 2_000 });
  const results = await Promise.all(handles.map((h) => h.result));
  for (const w of windows) w.dispose();
  return { server, results, budget };
}

describe('a budget shared between schedulers', () => {
  it('keeps two windows on one organization within capacity + refill × Δt, with no 429', async () => {
    const { server, results, budget } = await runTwoWindows(true);
    assert.ok(
      results.every((r) => r.status === 'completed'),
      'every request completed',
    );
    assert.equal(server.sent.length, 18);
    assert.equal(server.rejected, 0, 'the shared budget admitted only what the server could take');
    assertPacingBound(server.sent, LIMITS);
    const settled = budget.closes.filter((c) => c.actual !== undefined && c.answer === 'done');
    assert.equal(settled.length, 18, 'every attempt went out under a lease, settled once');
    // A grant for a request that could no longer start at once (its pool still probing) went back.
    assert.deepEqual(
      budget.closes.map((c) => Number(c.leaseId)).sort((a, b) => a - b),
      budget.grants.map((g) => Number(g.leaseId)),
      'every lease closed exactly once',
    );
    assert.ok(budget.closes.every((c) => c.answer === 'done'));
    assert.ok(budget.readings.length > 0, 'header readings reach the store');
  });

  it('is what keeps them apart: two pacers on their own collide on the first burst', async () => {
    const { server, results } = await runTwoWindows(false);
    assert.ok(
      results.every((r) => r.status === 'completed'),
      'every request completed after retries',
    );
    assert.ok(server.rejected > 0, `independent pacers draw 429s (${server.rejected})`);
  });

  it('shares a pool only once an answer named its organization: a key never names a shared pool', async () => {
    const { clock, server, budget } = orgRig();
    const scheduler = new Scheduler({
      clock,
      random: () => 0.5,
      transport: server,
      options: { limits: { '*': { requests: LIMITS.requests, inputTokens: LIMITS.input } } },
      sharedBudget: budget,
    });
    scheduler.setKeys([key('sk-ant-looking-key-id')]);
    const handles = submitBurst(scheduler, 3, 100);
    await flush();
    await drainTimers(clock);
    assert.ok((await Promise.all(handles.map((h) => h.result))).every((r) => r.status === 'completed'));
    assert.equal(server.sent.length, 3);
    // The first contact went under local pacing (its pool was named after the key); the rest leased.
    assert.equal(budget.grants.length, 2);
    for (const grant of budget.grants)
      assert.deepEqual(grant.pool, { organizationId: ORG, modelClass: 'sonnet-4.x' });
    assert.ok(!JSON.stringify(budget).includes('sk-ant'), 'nothing key-shaped reached the store');
    scheduler.dispose();
  });

  it('settles a lease with the real usage and forwards the answer’s headers as a reading', async () => {
    const { clock, server, budget } = orgRig();
    const scheduler = windowScheduler(clock, server, 'w1', budget);
    const [handle] = submitBurst(scheduler, 1, 250);
    await flush();
    await drainTimers(clock);
    assert.equal((await handle!.result).status, 'completed');
    assert.equal(budget.grants[0]!.cost.inputTokens, 250);
    assert.deepEqual(budget.closes, [
      {
        leaseId: '1',
        actual: { requests: 1, inputTokens: 250, outputTokens: 5, tokens: 255 },
        answer: 'done',
      },
    ]);
    const reading = budget.readings.at(-1)!;
    assert.equal(reading.sourceLeaseId, '1');
    assert.equal(reading.dimensions.requests?.remaining, 4);
  });

  it('holds a request the store tells to wait while a request of another pool goes', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const server = new TruthfulServer(
      clock,
      { requests: 100, input: 100_000 },
      () => 100,
      (keyId) => keyId,
    );
    const budget = new MemorySharedBudget(clock);
    const scheduler = new Scheduler({
      clock,
      random: () => 0.5,
      transport: server,
      options: { limits: { '*': { requests: 100, inputTokens: 100_000 } }, maxInFlight: 4 },
      sharedBudget: budget,
    });
    scheduler.setKeys([key('org-a')]);
    scheduler.learnKeyOrganization('org-a', headers({ 'anthropic-organization-id': 'org-a' }));
    // Another client drained the shared Sonnet pool: one request refills in 600 ms.
    const drained = await budget.lease(
      { organizationId: 'org-a', modelClass: 'sonnet-4.x' },
      { requests: 100, inputTokens: 0, outputTokens: 0, tokens: 0 },
      { requests: { perMinute: 100 } },
    );
    assert.equal(drained.kind, 'granted');
    const [waiting] = submitBurst(scheduler, 1, 10);
    const other = scheduler.submit({
      lane: 'background',
      inputTokens: 20,
      request: {
        model: 'claude-opus-4-6',
        maxTokens: 5,
        messages: [{ role: 'user', content: 'x'.repeat(20) }],
      },
    });
    await flush();
    assert.deepEqual(
      server.sent.map((s) => [s.input, s.atMs - start]),
      [[20, 0]],
      'the Opus request went at once; the Sonnet one is held while the store says wait',
    );
    const progress = waiting!.progress();
    assert.deepEqual(progress.waitingFor, { kind: 'shared_budget' });
    assert.equal(progress.retryAtMs, undefined, 'not a retry');
    assert.equal(progress.estimatedStartMs, start + 600);
    await drainTimers(clock);
    assert.equal((await waiting!.result).status, 'completed');
    assert.equal((await other.result).status, 'completed');
    assert.deepEqual(
      server.sent[1] && [server.sent[1].input, server.sent[1].atMs - start],
      [10, 600],
      'sent when the shared bucket had one request again',
    );
  });

  it('sends under local pacing when the store is down, and after the lease timeout when it never answers', async () => {
    for (const mode of ['down', 'hang'] as const) {
      const { clock, server, budget } = orgRig();
      const start = clock.now();
      budget.mode = mode;
      const scheduler = windowScheduler(clock, server, 'w1', budget);
      const logs: SchedulerLogEntry[] = [];
      scheduler.onLog((entry) => logs.push(entry));
      const handles = submitBurst(scheduler, 3, 100);
      await flush();
      await drainTimers(clock);
      const results = await Promise.all(handles.map((h) => h.result));
      assert.ok(
        results.every((r) => r.status === 'completed'),
        `${mode}: every request completed`,
      );
      assert.equal(server.sent.length, 3, `${mode}: each sent once`);
      const firstSendMs = server.sent[0]!.atMs - start;
      assert.equal(
        firstSendMs,
        mode === 'down' ? 0 : 2_000,
        `${mode}: waited ${firstSendMs} ms for the store`,
      );
      assert.equal(budget.grants.length, 0);
      assert.ok(
        mode === 'down' ||
          logs.some((l) => l.level === 'warn' && l.message.includes('shared budget did not answer')),
        'the fallback is logged',
      );
      scheduler.dispose();
    }
  });

  it('refunds a lease granted after its request was cancelled, and never sends it', async () => {
    const { clock, server, budget } = orgRig();
    budget.mode = 'manual';
    const scheduler = windowScheduler(clock, server, 'w1', budget);
    const [handle] = submitBurst(scheduler, 1, 100);
    await flush();
    assert.equal(budget.held.length, 1, 'a lease was asked for');
    handle!.cancel();
    budget.held[0]!.answer();
    await flush();
    assert.equal((await handle!.result).status, 'cancelled');
    assert.equal(server.sent.length, 0, 'never sent');
    assert.deepEqual(budget.closes, [{ leaseId: '1', answer: 'done' }], 'the late grant went back');
    scheduler.dispose();
  });
});
